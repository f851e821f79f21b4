/** Reminder messages: compile editor templates (shortcodes → MJML → Handlebars) once, render per recipient. */
export type { CartRenderContext, LineItem, OrderRenderContext, OrderTracking, RenderContext, RenderMode } from './render-context.ts';
export { TemplateError, RenderError, type FieldValidationError, type TemplateField, type RenderErrorCode } from './errors.ts';
export {
  compileTemplate,
  clearTemplateCache,
  mjmlRuns,
  renderShortcodes,
  type CompiledMessage,
  type TemplateInput,
} from './template-compiler.ts';
export { render, type RenderedMessage } from './renderer.ts';
export { sampleCartContext, sampleContext } from './sample-context.ts';
export { trackingFromOrderMeta } from './tracking.ts';
