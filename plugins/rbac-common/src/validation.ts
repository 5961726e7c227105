import { NAMESPACE_PATTERN } from '@kubemate/plugin-kubemate-common';
import { z } from 'zod';
import { RoleSpec } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** `payments-dev`, or a prefix pattern `payments-*`. */
const PERMISSION_NAME = /^[a-z0-9][a-zA-Z0-9._-]*$/;
const MEMBER_REF =
  /^(user|group):([a-z0-9][-a-z0-9_.]*\/)?[a-zA-Z0-9][-a-zA-Z0-9_.]*$/;

export const roleScopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('all') }).strict(),
  z
    .object({
      type: z.literal('namespaces'),
      namespaces: z
        .array(
          z
            .string()
            .max(63)
            .regex(
              NAMESPACE_PATTERN,
              'must be a namespace name or a prefix pattern like payments-*',
            ),
        )
        .min(1, 'must list at least one namespace (or use scope type all)'),
    })
    .strict(),
]);

export const roleSpecSchema = z
  .object({
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(
        DNS_LABEL,
        'must be a lowercase DNS label (a-z, 0-9, -), e.g. payments-operator',
      ),
    title: z.string().max(100).optional(),
    description: z.string().max(2000).optional(),
    scope: roleScopeSchema,
    permissions: z
      .array(
        z
          .string()
          .max(200)
          .refine(p => p === '*' || PERMISSION_NAME.test(p), {
            message: 'is not a permission name',
          }),
      )
      .max(500)
      .refine(ps => !ps.includes('*') || ps.length === 1, {
        message: '"*" (every permission) must stand alone',
      })
      .refine(ps => new Set(ps).size === ps.length, {
        message: 'lists a permission twice',
      }),
    members: z
      .array(
        z
          .string()
          .max(300)
          .regex(
            MEMBER_REF,
            'must be a user or group ref, e.g. user:default/alice or group:default/team-payments',
          ),
      )
      .max(5000),
  })
  .strict();

export const roleMembersSchema = z
  .object({ members: roleSpecSchema.shape.members })
  .strict();

/** Validation result with messages that say which field is wrong and why. */
export type Validated<T> =
  | { ok: true; value: T }
  | { ok: false; errors: string[] };

function toErrors(error: z.ZodError): string[] {
  return error.issues.map(
    i => `${i.path.length ? i.path.join('.') : '(role)'}: ${i.message}`,
  );
}

export function validateRoleSpec(input: unknown): Validated<RoleSpec> {
  const r = roleSpecSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: toErrors(r.error) };
  const spec = r.data as RoleSpec;
  // normalise: refs lowercase kind, default namespace explicit
  spec.members = [...new Set(spec.members.map(normalizeMemberRef))];
  return { ok: true, value: spec };
}

export function validateMembers(input: unknown): Validated<string[]> {
  const r = roleMembersSchema.safeParse(input);
  if (!r.success) return { ok: false, errors: toErrors(r.error) };
  return {
    ok: true,
    value: [...new Set(r.data.members.map(normalizeMemberRef))],
  };
}

/** `user:alice` → `user:default/alice`. */
export function normalizeMemberRef(ref: string): string {
  const [kind, rest] = [
    ref.slice(0, ref.indexOf(':')),
    ref.slice(ref.indexOf(':') + 1),
  ];
  const full = rest.includes('/') ? rest : `default/${rest}`;
  return `${kind.toLocaleLowerCase('en-US')}:${full.toLocaleLowerCase(
    'en-US',
  )}`;
}
