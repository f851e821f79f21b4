import { afterAll, describe, expect, it } from 'vitest';
import { unpaidOrdersFromAnHourAgo } from '../fakes/fake-woo-shop.ts';
import { startUi } from './ui-harness.ts';

/** What the focused element is, read in the page (its window is not this program's). */
const FOCUSED = `(() => {
  const el = document.activeElement === document.body ? null : document.activeElement;
  const box = el ? el.getBoundingClientRect() : null;
  return {
    text: el ? (el.textContent || '').trim() : '',
    name: el ? el.getAttribute('name') : null,
    className: el ? String(el.className) : '',
    inView: !!box && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight,
  };
})()`;
type Focused = { text: string; name: string | null; className: string; inView: boolean };

/**
 * The admin from the keyboard and on a tablet, in Chromium: a shortcode palette is one Tab stop
 * (arrows inside, Enter inserts), the navigation fits 768 px on its rows, the preview stays beside
 * the text being edited, leaving unsaved texts asks first, and a refused save is brought into view
 * with the focus on the first bad field.
 */
describe('the admin works from the keyboard and on a tablet', async () => {
  const ui = await startUi('ui_keyboard', unpaidOrdersFromAnHourAgo().orders);
  const { page, tab } = ui;
  afterAll(() => ui.close());
  const focused = () => page.evaluate<Focused>(FOCUSED);

  it('reaches "Add a reminder" from the top of Recovery in a few Tab stops', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await ui.signIn();
    await tab('Recovery');
    await page.getByRole('button', { name: 'Add a reminder' }).waitFor();
    await page.getByRole('tab', { name: 'Recovery', selected: true }).focus();
    let stops = 0;
    while (stops < 200 && (await focused()).text !== 'Add a reminder') {
      await page.keyboard.press('Tab');
      stops++;
    }
    // The toggle, each text and its palette (one stop each), the delay, the reminder's buttons: not every shortcode.
    expect(stops).toBeLessThanOrEqual(25);
  });

  it('moves inside a palette with the arrow keys and inserts with Enter at the caret', async () => {
    const subject = page.locator('textarea[name="reminders.0.subject"]');
    await subject.fill('Your order ');
    await subject.press('End');
    await page.keyboard.press('Tab');
    const first = await focused();
    expect(first.className).toContain('comeback-palette__item');
    await page.keyboard.press('ArrowDown');
    const second = await focused();
    expect(second.className).toContain('comeback-palette__item');
    expect(second.text).not.toBe(first.text);
    await page.keyboard.press('ArrowUp');
    expect((await focused()).text).toBe(first.text);
    // Left and right as well, as in any toolbar.
    await page.keyboard.press('ArrowRight');
    expect((await focused()).text).toBe(second.text);
    await page.keyboard.press('ArrowLeft');
    expect((await focused()).text).toBe(first.text);
    await page.keyboard.press('End');
    const last = await focused();
    await page.keyboard.press('ArrowDown');
    expect((await focused()).text).toBe(first.text);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect.poll(() => subject.inputValue()).toBe(`Your order ${last.text}`);
    // Back in the text after the tag (at the next frame, once the text is rendered); the next Tab returns to the
    // palette on the button last used, one more leaves it.
    await expect.poll(async () => (await focused()).name).toBe('reminders.0.subject');
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe(last.text);
    await page.keyboard.press('Tab');
    expect((await focused()).className).not.toContain('comeback-palette__item');
  });

  it('keeps the preview in view beside the text being edited', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    // Three reminders: a long column of texts.
    await page.getByRole('button', { name: 'Add a reminder' }).click();
    await page.getByRole('button', { name: 'Add a reminder' }).click();
    await page.locator('.comeback-reminder').nth(2).waitFor();
    const preview = page.locator('.comeback-preview');
    await preview.waitFor();
    const text = page.locator('textarea[name="reminders.1.offlineBody"]');
    await text.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const box = (await preview.boundingBox())!;
    const area = (await text.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(768 / 2);
    // Beside, not below.
    expect(box.x).toBeGreaterThan(area.x + area.width);
  });

  it('puts the preview below the texts on a tablet, with the text wide enough to edit', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    const preview = page.locator('.comeback-preview');
    await page.getByRole('button', { name: 'Preview this one' }).nth(1).click();
    const body = page.locator('textarea[name="reminders.1.onlineBody"]');
    const [p, b] = [(await preview.boundingBox())!, (await body.boundingBox())!];
    expect(b.width).toBeGreaterThan(300);
    expect(p.y).toBeGreaterThan(b.y);
    await ui.shot('recovery-preview-tablet');
    // Nothing wider than the page once the layout has settled at this width.
    await expect
      .poll(() => page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'))
      .toBeLessThanOrEqual(0);
  });

  it('asks before leaving unsaved texts, from a group as from a tab', async () => {
    // The texts typed above are not saved: another group asks first, and "Keep editing" stays.
    const leaving = page.getByRole('alertdialog', { name: 'Leave without saving?' });
    await page.locator('.comeback-nav__group', { hasText: 'Activity' }).click();
    await leaving.getByRole('button', { name: 'Keep editing' }).click();
    await leaving.waitFor({ state: 'detached' });
    expect(await page.getByRole('tab', { name: 'Recovery', selected: true }).count()).toBe(1);
    expect(new URL(page.url()).hash).toBe('#recovery');
    // A tab of the same group asks too; leaving discards the edits and opens it.
    await page.getByRole('tab', { name: 'Flows', exact: true }).click();
    await leaving.getByRole('button', { name: 'Discard changes and leave' }).click();
    await page.getByRole('tab', { name: 'Flows', selected: true }).waitFor();
    expect(new URL(page.url()).hash).toBe('#flows');
  });

  it('fits the navigation on its rows at 768 px, every screen reachable and its address kept', async () => {
    await page.setViewportSize({ width: 768, height: 1024 });
    for (const screen of ['Flows', 'Customers', 'Queue', 'Connection', 'Recovery']) {
      await tab(screen);
      await page.getByRole('tab', { name: screen, selected: true }).waitFor();
      type Item = { top: number; bottom: number; right: number; overflow: number };
      const rows = await page.evaluate<Item[][]>(`(() => {
        const tops = (selector) => [...document.querySelectorAll(selector)].map((el) => {
          const r = el.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, right: r.right, overflow: el.parentElement.scrollWidth - el.parentElement.clientWidth };
        });
        return [tops('.comeback-nav__group'), tops('[role="tab"]:not(.comeback-languages__tab)')]; // the screens' tabs, not a text's language tabs
      })()`);
      expect(rows[1]!.length, `${screen}: its group's screens`).toBeGreaterThan(0);
      for (const row of rows) {
        const first = row[0]!;
        for (const item of row) {
          expect(item.top, `${screen}: one row`).toBeLessThan(first.bottom);
          expect(item.right, `${screen}: within the page`).toBeLessThanOrEqual(768);
          expect(item.overflow, `${screen}: no scrolling row`).toBeLessThanOrEqual(0);
        }
      }
      expect(new URL(page.url()).hash).toBe(`#${screen.toLowerCase()}`);
    }
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    // A screen's address opens it in its group.
    await page.goto(`${ui.sidecar.url}/admin/#outbox`);
    await page.reload();
    await page.getByRole('tab', { name: 'Outbox', selected: true }).waitFor();
    expect(await page.locator('.comeback-nav__group[aria-current="true"]').textContent()).toBe('Activity');
    await ui.shot('navigation-tablet');
  });

  /** The save bar's refusal is on screen, the focus on the field it names (not taken back by the notice), and both in view. */
  const refusedAt = async (field: string) => {
    const notice = page.locator('.comeback-savebar .comeback-status');
    await notice.getByText('Nothing was saved', { exact: false }).waitFor();
    await expect.poll(async () => (await focused()).name).toBe(field);
    // Still there a moment later: the notice does not take the focus from the field.
    await page.waitForTimeout(300);
    expect(await focused()).toMatchObject({ name: field, inView: true });
    const box = (await notice.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
  };

  it('brings a refused save into view with the focus on the first bad field', async () => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await tab('Recovery');
    const last = page.locator('.comeback-reminder').last().locator('textarea[name$=".onlineBody"]');
    await last.fill('Hello [no_such_code]');
    const field = (await last.getAttribute('name'))!;
    expect(field).toMatch(/^reminders\.\d+\.onlineBody$/);
    // From the top of the page, so the field is out of view when the save is refused.
    await page.evaluate('window.scrollTo(0, 0)');
    await page.getByRole('button', { name: 'Save reminders' }).click();
    await refusedAt(field);
    await ui.shot('recovery-refused-save');
  });

  it('brings a refused flow save to the merchant the same way', async () => {
    // The recovery form keeps its refused draft: leaving it asks, and discards it.
    await page.getByRole('tab', { name: 'Flows', exact: true }).click();
    await page
      .getByRole('alertdialog', { name: 'Leave without saving?' })
      .getByRole('button', { name: 'Discard changes and leave' })
      .click();
    await page.locator('tr[data-flow="unpaid-order"]').getByRole('button', { name: 'Unpaid order reminder', exact: true }).click();
    const body = page.locator('textarea[name="steps.0.email.body"]');
    await body.fill('Hello [no_such_code]');
    await page.evaluate('window.scrollTo(0, 0)');
    await page.getByRole('button', { name: 'Save flow' }).click();
    await refusedAt('steps.0.email.body');
  });
});
