import type {
  ScaffolderApi,
  ScaffolderTask,
  TemplateParameterSchema,
} from '@backstage/plugin-scaffolder-react';

/**
 * Software templates in the user's language. The scaffolder has no translation of a template's
 * own text, so our templates (templates/*) carry it next to the English: any object of a
 * template's parameters (a step, a field, an item), a step of `spec.steps`, and the template
 * itself (`metadata.ui:options`) may have
 *
 *   x-kubemate-i18n:
 *     zh-Hans: { title: 名称, description: …, enumNames: [...], ui:help: …, name: … }
 *
 * and the app's scaffolder API returns the text of the current language in place of the English
 * (the keys below), with every `x-kubemate-i18n` removed, so the form never sees them. A template
 * without them, or a language without an entry, stays as written.
 */
export const I18N_KEY = 'x-kubemate-i18n';

/** The text a translation may replace: JSON Schema's and the form's, and a step's name. */
export const TRANSLATABLE = [
  'title',
  'description',
  'enumNames',
  'ui:help',
  'ui:placeholder',
  'ui:description',
  'name',
] as const;

type Json = unknown;
type Translations = Record<string, Record<string, Json>>;

/** The entry of `language` in a node's translations: exact, else by its base (zh-CN → zh-Hans). */
function entryFor(
  translations: Translations,
  language: string,
): Record<string, Json> | undefined {
  if (translations[language]) return translations[language];
  const base = language.split('-')[0];
  const key = Object.keys(translations).find(k => k.split('-')[0] === base);
  return key ? translations[key] : undefined;
}

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy of `value` in `language`: translated text in place, no `x-kubemate-i18n` left. */
export function translateNode<T>(value: T, language: string): T {
  if (Array.isArray(value)) {
    return value.map(v => translateNode(v, language)) as unknown as T;
  }
  if (!isRecord(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k !== I18N_KEY) out[k] = translateNode(v, language);
  }
  const translations = value[I18N_KEY];
  if (isRecord(translations)) {
    const entry = entryFor(translations as Translations, language);
    for (const key of TRANSLATABLE) {
      const text = entry?.[key];
      if (text === undefined || !(key in value)) continue;
      const sameShape = Array.isArray(value[key])
        ? Array.isArray(text) &&
          text.length === (value[key] as Json[]).length &&
          text.every(t => typeof t === 'string')
        : typeof text === 'string';
      if (sameShape) out[key] = text;
    }
  }
  return out as T;
}

/**
 * A template's parameter schema in `language`: its title and description (from
 * `ui:options`), every step's schema, and the step titles the backend copied from them.
 */
export function translateTemplateSchema(
  schema: TemplateParameterSchema,
  language: string,
): TemplateParameterSchema {
  const options = (schema as { 'ui:options'?: Json })['ui:options'];
  const templateText = isRecord(options)
    ? translateNode(
        {
          title: schema.title,
          description: schema.description,
          [I18N_KEY]: options[I18N_KEY],
        },
        language,
      )
    : { title: schema.title, description: schema.description };
  return {
    ...schema,
    ...(isRecord(options)
      ? { 'ui:options': translateNode(options, language) }
      : {}),
    title: templateText.title,
    description: templateText.description,
    steps: schema.steps.map(step => {
      const translated = translateNode(step.schema, language);
      return {
        ...step,
        title:
          step.title === step.schema.title &&
          typeof translated.title === 'string'
            ? translated.title
            : step.title,
        description:
          step.description === step.schema.description &&
          typeof translated.description === 'string'
            ? translated.description
            : step.description,
        schema: translated,
      };
    }),
  };
}

/** A task in `language`: the names of its steps (the run page's stepper). */
export function translateTask(
  task: ScaffolderTask,
  language: string,
): ScaffolderTask {
  if (!task?.spec?.steps) return task;
  return {
    ...task,
    spec: { ...task.spec, steps: translateNode(task.spec.steps, language) },
  };
}

/**
 * `api` with the template schema and tasks it returns translated into the language
 * `languageOf()` names at the time of the call; everything else unchanged.
 */
export function withTranslatedTemplates(
  api: ScaffolderApi,
  languageOf: () => string,
): ScaffolderApi {
  return new Proxy(api, {
    get(target, prop) {
      if (prop === 'getTemplateParameterSchema') {
        return async (
          ...args: Parameters<ScaffolderApi['getTemplateParameterSchema']>
        ) =>
          translateTemplateSchema(
            await target.getTemplateParameterSchema(...args),
            languageOf(),
          );
      }
      if (prop === 'getTask') {
        return async (...args: Parameters<ScaffolderApi['getTask']>) =>
          translateTask(await target.getTask(...args), languageOf());
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
