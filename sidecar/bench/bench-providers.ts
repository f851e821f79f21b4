/** The fake providers' credentials, shared by the benchmark and its remote side. */
export const BENCH_TWILIO = { accountSid: `AC${'b0'.repeat(16)}`, authToken: 'bench-twilio-auth-token', from: '+15005550006' };
export const BENCH_WHATSAPP = {
  phoneNumberId: '106540352242922',
  accessToken: 'bench-whatsapp-access-token',
  appSecret: 'bench-whatsapp-app-secret',
  verifyToken: 'bench-verify-token',
};
