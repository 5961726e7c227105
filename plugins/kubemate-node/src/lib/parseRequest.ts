import { InputError } from '@backstage/errors';
import { z } from 'zod';

/**
 * Validates a request body, query or path params with a zod schema; a failure is a 400 that says
 * what is wrong: `Invalid request: <field>: <message>; …`.
 */
export function parseRequest<S extends z.ZodTypeAny>(
  schema: S,
  value: unknown,
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new InputError(
      `Invalid request: ${r.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return r.data;
}
