import { __ } from '@wordpress/i18n';
import type { TextContext } from '@comeback/shortcodes';
import type { FieldError } from '../api.ts';
import { TemplateEditor } from './TemplateEditor.tsx';

/**
 * One offline text per payment method (bank transfer, cheque…), titled as at checkout, for the
 * recovery form and the flow editor. Emptying one removes it: that method's orders then get the
 * text for other offline payments. Texts of methods not listed are kept as they are.
 */
export function GatewayTexts(props: {
  gateways: Array<{ id: string; title: string }>;
  bodies: Record<string, string> | undefined;
  /** Where the texts are in the API's errors, e.g. "reminders.0.offlineBodies". */
  path: string;
  label: (title: string) => string;
  /** The texts' context and what their message will know (the step's coupon…): the palette offers only what prints. */
  context: TextContext;
  errors: (field: string, value: string, gateway: string) => FieldError[];
  onChange: (bodies: Record<string, string>, gateway: string) => void;
}) {
  return props.gateways.map((gateway) => {
    const field = `${props.path}.${gateway.id}`;
    const value = props.bodies?.[gateway.id] ?? '';
    return (
      <TemplateEditor
        key={gateway.id}
        name={field}
        label={props.label(gateway.title)}
        context={props.context}
        value={value}
        help={value === '' ? __('Empty: these orders get the text for other offline payments below.', 'comeback') : undefined}
        onChange={(body) => {
          const { [gateway.id]: _old, ...others } = props.bodies ?? {};
          props.onChange(body === '' ? others : { ...others, [gateway.id]: body }, gateway.id);
        }}
        errors={props.errors(field, value, gateway.id)}
      />
    );
  });
}
