import { parseAttributes } from './attributes.ts';

export interface TextNode {
  type: 'text';
  value: string;
}

export interface ShortcodeNode {
  type: 'shortcode';
  name: string;
  attrs: Record<string, string>;
  positional: string[];
  /** Present only for the enclosing form [name]…[/name] (possibly ""). */
  content?: string;
  /** 1-based position of the "[" that opens the tag; columns count Unicode code points. */
  line: number;
  column: number;
}

export type TemplateNode = TextNode | ShortcodeNode;

/**
 * A well-formed shortcode name. WordPress only matches registered names; we match any name of this
 * shape so that the validator can point at typos like [order_numbr] instead of silently sending
 * them as text. "[1]" and "[ note ]" are not names, so they stay text.
 */
const NAME = /[A-Za-z_][A-Za-z0-9_-]*/y;

/**
 * What may follow a name. WordPress's regex needs a non-word, non-hyphen character, and do_shortcode
 * only tries names that end at one of ASCII space/control, / ] [ < > & = (its tag-name pre-scan).
 * Both must hold, so [order_number.x] or [order_number:] stay text, as they do in WordPress.
 */
// eslint-disable-next-line no-control-regex -- the control characters are the point: WordPress's pre-scan ends a name at any of them
const NAME_END = /[\x00-\x20/\][<>&=]/;

/**
 * Splits a template into text and shortcodes following WordPress's get_shortcode_regex() grammar:
 * [name], [name /], [name attrs], [name]content[/name] (content runs to the first [/name]; with
 * none the tag is self-closing), and [[name]] / [[name]…[/name]] as escapes rendered literally
 * without the outer brackets. Adjacent text is merged, so two text nodes never follow each other.
 */
export function parse(source: string): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  const text = (value: string) => {
    if (value === '') return;
    const last = nodes.at(-1);
    if (last?.type === 'text') last.value += value;
    else nodes.push({ type: 'text', value });
  };
  const position = new Positions(source);
  const scan = new Scanner(source);

  let done = 0; // everything before this index has been emitted
  let at = source.indexOf('[');
  while (at !== -1) {
    const m = matchAt(source, at, scan);
    if (!m) {
      at = source.indexOf('[', at + 1);
      continue;
    }
    text(source.slice(done, at));
    if (m.escapedOpen && m.escapedClose) {
      // [[name]] renders as the tag itself, brackets stripped once.
      text(source.slice(at + 1, m.end - 1));
    } else {
      // A lone extra bracket on one side stays as text next to the shortcode, as in WordPress.
      if (m.escapedOpen) text('[');
      const { line, column } = position.of(m.tagStart);
      const { attrs, positional } = parseAttributes(m.attrText);
      const node: ShortcodeNode = { type: 'shortcode', name: m.name, attrs, positional, line, column };
      if (m.content !== undefined) node.content = m.content;
      nodes.push(node);
      if (m.escapedClose) text(']');
    }
    done = m.end;
    at = source.indexOf('[', done);
  }
  text(source.slice(done));
  return nodes;
}

interface TagMatch {
  name: string;
  tagStart: number;
  attrText: string;
  content?: string;
  escapedOpen: boolean;
  escapedClose: boolean;
  end: number;
}

/** The WordPress regex anchored at `at` (a "["), unrolled into plain string scanning. */
function matchAt(source: string, at: number, scan: Scanner): TagMatch | undefined {
  const escapedOpen = source[at + 1] === '[';
  const tagStart = escapedOpen ? at + 1 : at;
  NAME.lastIndex = tagStart + 1;
  const name = NAME.exec(source)?.[0];
  if (name === undefined) return undefined;
  const nameEnd = tagStart + 1 + name.length;
  if (!NAME_END.test(source[nameEnd] ?? '')) return undefined;

  // The attribute text may hold anything but "]"; a "/" right before the "]" makes it self-closing.
  if (nameEnd > scan.lastClose) return undefined;
  const close = source.indexOf(']', nameEnd);
  const selfClosing = close > nameEnd && source[close - 1] === '/';
  const attrText = source.slice(nameEnd, selfClosing ? close - 1 : close);
  let end = close + 1;

  let content: string | undefined;
  if (!selfClosing) {
    const closingTag = `[/${name}]`;
    const closing = scan.find(closingTag, end);
    if (closing !== -1) {
      content = source.slice(end, closing);
      end = closing + closingTag.length;
    }
  }
  // Checked only after the content, as the regex does: in "[[b]] x [/b]" the "]" is content.
  const escapedClose = source[end] === ']';
  if (escapedClose) end++;
  return { name, tagStart, attrText, content, escapedOpen, escapedClose, end };
}

/**
 * Keeps parse() linear on hostile input: once we know there is no "]" or no "[/name]" past some
 * point, later tags do not scan to the end again (a failed search is what costs).
 */
class Scanner {
  readonly lastClose: number;
  private readonly found = new Map<string, number>();

  constructor(private readonly source: string) {
    this.lastClose = source.lastIndexOf(']');
  }

  find(needle: string, from: number): number {
    const known = this.found.get(needle);
    if (known !== undefined && (known === -1 || known >= from)) return known;
    const at = this.source.indexOf(needle, from);
    this.found.set(needle, at);
    return at;
  }
}

/** Index → line/column, counting code points so an emoji is one column here and in PHP (mb_*). */
export class Positions {
  private line = 1;
  private column = 1;
  private index = 0;

  constructor(private readonly source: string) {}

  /** Indexes must be asked in increasing order, which parse() does; this keeps it linear. */
  of(target: number): { line: number; column: number } {
    while (this.index < target) {
      const code = this.source.codePointAt(this.index)!;
      this.index += code > 0xffff ? 2 : 1;
      if (code === 0x0a) {
        this.line++;
        this.column = 1;
      } else {
        this.column++;
      }
    }
    return { line: this.line, column: this.column };
  }
}
