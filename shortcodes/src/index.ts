/** @comeback/shortcodes — the shortcode catalogue, parser, validator and Handlebars compiler. */
export {
  catalog,
  helperName,
  helperNames,
  MESSAGE_FACTS,
  type AttributeSpec,
  type MessageFact,
  type TextContext,
  type MessageContext,
  type ShortcodeSpec,
  type TemplateContext,
} from './catalog.ts';
export { parseAttributes, stripCSlashes, type ParsedAttributes } from './attributes.ts';
export { parse, type ShortcodeNode, type TemplateNode, type TextNode } from './parse.ts';
export { shortcodesFor, validate, type ValidationCode, type ValidationError } from './validate.ts';
export { compile, compileNodes, TemplateValidationError, type CompiledTemplate } from './compile.ts';
