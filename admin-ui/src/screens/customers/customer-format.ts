import type { Customer } from '@comeback/sidecar/api-contracts';

export const fullName = (c: Customer) => [c.firstName, c.lastName].filter(Boolean).join(' ');
