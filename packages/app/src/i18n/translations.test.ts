/*
 * Every Kubemate translation ref has a complete Simplified Chinese (zh-Hans) resource: no key of
 * the ref's English messages missing, none extra, none empty, and the same {{placeholders}} as
 * the English message (a translation that drops {{count}} shows the wrong sentence). The
 * resource is loaded through the ref's own lazy loader, the way the app loads it.
 */
import type { TranslationRef } from '@backstage/frontend-plugin-api';
import { KUBEMATE_TRANSLATION_REFS } from './refs';
import { BACKSTAGE_ZH_HANS } from './backstageTranslations';

type Messages = Record<string, string>;

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map(m => m[1]).sort();

async function zhHansOf(ref: TranslationRef): Promise<Messages> {
  const internal = ref as unknown as {
    getDefaultResource?: () =>
      | {
          resources: Array<{
            language: string;
            loader: () => Promise<{ messages: Messages }>;
          }>;
        }
      | undefined;
  };
  const resource = internal.getDefaultResource?.();
  const zh = resource?.resources.find(r => r.language === 'zh-Hans');
  if (!zh) {
    throw new Error(
      `${ref.id} has no zh-Hans translation (createTranslationRef({ translations: { 'zh-Hans': () => import('./translations/zh-Hans') } }))`,
    );
  }
  return (await zh.loader()).messages;
}

const defaultsOf = (ref: TranslationRef) =>
  (ref as unknown as { getDefaultMessages(): Messages }).getDefaultMessages();

describe('zh-Hans translations', () => {
  it.each(KUBEMATE_TRANSLATION_REFS.map(r => [r.id, r] as const))(
    '%s is complete',
    async (_id, ref) => {
      const en = defaultsOf(ref);
      const zh = await zhHansOf(ref);
      const missing = Object.keys(en).filter(k => !(k in zh));
      const extra = Object.keys(zh).filter(k => !(k in en));
      const empty = Object.keys(zh).filter(k => !String(zh[k]).trim());
      const wrongPlaceholders = Object.keys(en)
        .filter(k => k in zh)
        .filter(
          k =>
            placeholders(en[k]).join(',') !==
            placeholders(String(zh[k])).join(','),
        );
      expect({ missing, extra, empty, wrongPlaceholders }).toEqual({
        missing: [],
        extra: [],
        empty: [],
        wrongPlaceholders: [],
      });
      expect(Object.keys(en).length).toBeGreaterThan(0);
    },
  );

  it.each(BACKSTAGE_ZH_HANS.map(b => [b.name, b] as const))(
    "Backstage's %s is complete",
    async (_name, b) => {
      const en = defaultsOf(b.ref as unknown as TranslationRef);
      const zh = (await b.load()).default.messages as Messages;
      const missing = Object.keys(en).filter(k => !(k in zh));
      const wrongPlaceholders = Object.keys(en)
        .filter(k => k in zh)
        .filter(
          k =>
            placeholders(en[k]).join(',') !==
            placeholders(String(zh[k])).join(','),
        );
      expect({ missing, wrongPlaceholders }).toEqual({
        missing: [],
        wrongPlaceholders: [],
      });
    },
  );

  it('has one ref per id', () => {
    const ids = KUBEMATE_TRANSLATION_REFS.map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
