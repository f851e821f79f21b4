// npm run build (the plugin part): plugin/languages/comeback.pot from the sources (make-pot.mjs), each
// catalogue's .mo and admin script JSON beside it (make-translations.mjs), then dist/comeback.zip — a folder `comeback/` with the plugin, its copy of the shared shortcode
// catalogue and the admin UI build, installable through Plugins → Add New → Upload. Tests and dev files stay out.
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ZipArchive } from 'archiver';
import { buildPot, POT_PATH } from './make-pot.mjs';
import { makeTranslations } from './make-translations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const plugin = join(root, 'plugin');

writeFileSync(POT_PATH, buildPot());
makeTranslations();

mkdirSync(join(root, 'dist'), { recursive: true });
const target = join(root, 'dist', 'comeback.zip');
const output = createWriteStream(target);
const zip = new ZipArchive({ zlib: { level: 9 } });
const done = new Promise((resolve, reject) => {
  output.on('close', resolve);
  zip.on('error', reject);
  zip.on('warning', reject);
});
zip.pipe(output);
zip.glob('**/*', { cwd: plugin, dot: false }, { prefix: 'comeback/' });
zip.file(join(root, 'shortcodes', 'catalog.json'), { name: 'comeback/shortcodes/catalog.json' });
// The admin UI build (npm run build -w admin-ui runs first), enqueued under WooCommerce → Comeback.
if (!existsSync(join(root, 'admin-ui', 'dist', 'comeback-admin.js')))
  throw new Error('admin-ui/dist is missing: run `npm run build -w admin-ui` first');
zip.glob('comeback-admin*', { cwd: join(root, 'admin-ui', 'dist') }, { prefix: 'comeback/admin-ui/' });
await zip.finalize();
await done;
console.log(`built ${target} (${zip.pointer()} bytes)`);
