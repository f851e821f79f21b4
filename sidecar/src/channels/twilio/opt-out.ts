/**
 * What an inbound SMS asks for, by Twilio's default keywords: the whole message, trimmed and
 * in any case, must be the keyword ("STOP please" is a reply, not an opt-out). With Advanced
 * Opt-Out Twilio also says it in OptOutType, which wins (merchants may add localised keywords).
 */
const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

export type SmsKeyword = 'opt-out' | 'opt-in' | 'help' | null;

export function smsKeyword(body: string | undefined, optOutType?: string): SmsKeyword {
  const type = (optOutType ?? '').toUpperCase();
  if (type === 'STOP') return 'opt-out';
  if (type === 'START') return 'opt-in';
  if (type === 'HELP') return 'help';
  const word = (body ?? '').trim().toUpperCase();
  if (OPT_OUT.has(word)) return 'opt-out';
  if (OPT_IN.has(word)) return 'opt-in';
  if (HELP.has(word)) return 'help';
  return null;
}
