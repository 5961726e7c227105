import { type Entity, stringifyEntityRef } from '@backstage/catalog-model';

const line = (label: string, value: unknown) =>
  value === undefined || value === null || value === ''
    ? undefined
    : `- **${label}:** ${
        Array.isArray(value) ? value.join(', ') : String(value)
      }`;

/** Spec fields worth indexing: plain values only (API definitions and such are left out). */
function specLines(spec: Record<string, unknown> | undefined): string[] {
  if (!spec) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'definition') continue;
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean'
    ) {
      out.push(line(key, value)!);
    } else if (
      Array.isArray(value) &&
      value.every(v => typeof v === 'string')
    ) {
      out.push(line(key, value as string[])!);
    }
  }
  return out.filter(Boolean);
}

/**
 * A catalog entity's metadata as a Markdown document (one per entity): its title and
 * description, kind/type, owner, system, lifecycle, tags, links, the plain fields of its spec,
 * its relations and annotations. Indexed like an uploaded Markdown file; the document's name is
 * the entity ref.
 */
export function entityMarkdown(entity: Entity): string {
  const ref = stringifyEntityRef(entity);
  const m = entity.metadata;
  const title = m.title ? `${m.title} (${ref})` : ref;
  const parts: string[] = [`# ${title}`, ''];
  if (m.description) parts.push(m.description.trim(), '');
  parts.push('## Overview', '');
  parts.push(
    ...[
      line('Entity', ref),
      line('Kind', entity.kind),
      ...specLines(entity.spec as Record<string, unknown> | undefined),
      line('Tags', m.tags),
    ].filter((l): l is string => Boolean(l)),
    '',
  );
  if (m.links?.length) {
    parts.push('## Links', '');
    for (const link of m.links) {
      parts.push(`- ${link.title ?? link.url}: ${link.url}`);
    }
    parts.push('');
  }
  if (entity.relations?.length) {
    parts.push('## Relations', '');
    for (const r of entity.relations) {
      parts.push(`- ${r.type}: ${r.targetRef}`);
    }
    parts.push('');
  }
  const annotations = Object.entries(m.annotations ?? {}).filter(
    ([k]) =>
      !k.startsWith('backstage.io/managed-by') &&
      k !== 'backstage.io/edit-url' &&
      k !== 'backstage.io/view-url',
  );
  if (annotations.length) {
    parts.push('## Annotations', '');
    for (const [k, v] of annotations) parts.push(`- ${k}: ${v}`);
    parts.push('');
  }
  return parts.join('\n');
}

/** The file name of an entity's document: `component-default-payments-api.md`. */
export function entityFileName(entity: Entity): string {
  return `${stringifyEntityRef(entity)
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')}.md`;
}
