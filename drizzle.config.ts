import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` writes a new migration after a schema change; the sidecar applies them at start.
export default defineConfig({
  dialect: 'mysql',
  schema: ['./sidecar/src/db/schema.ts', './sidecar/src/db/customer-schema.ts', './sidecar/src/db/privacy-schema.ts'],
  out: './sidecar/src/db/migrations',
});
