/*
 * Software templates in Chinese: the scaffolder API's schema and tasks translated by
 * `x-kubemate-i18n`, and a check that every template of templates/* has the Chinese of all its
 * text (a new field without it fails here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type {
  ScaffolderApi,
  ScaffolderTask,
  TemplateParameterSchema,
} from '@backstage/plugin-scaffolder-react';
import {
  I18N_KEY,
  translateTask,
  translateTemplateSchema,
  withTranslatedTemplates,
} from './templateTranslation';

const TEMPLATES = resolve(__dirname, '../../../../templates');

type Node = Record<string, unknown>;

/** The parameter schema the scaffolder backend returns for a template (its router's shape). */
function parameterSchemaOf(template: any): TemplateParameterSchema {
  const parameters = [template.spec.parameters ?? []].flat();
  return {
    title: template.metadata.title ?? template.metadata.name,
    description: template.metadata.description,
    'ui:options': template.metadata['ui:options'],
    steps: parameters.map((schema: any) => ({
      title: schema.title ?? 'Please enter the following information',
      description: schema.description,
      schema,
    })),
  } as TemplateParameterSchema;
}

const schema: TemplateParameterSchema = {
  title: 'Kubemate service',
  description: 'A new service',
  'ui:options': {
    [I18N_KEY]: {
      'zh-Hans': { title: 'Kubemate 服务', description: '新服务' },
    },
  },
  steps: [
    {
      title: 'Service',
      schema: {
        title: 'Service',
        [I18N_KEY]: { 'zh-Hans': { title: '服务' } },
        properties: {
          name: {
            title: 'Name',
            description: 'Lowercase letters',
            type: 'string',
            [I18N_KEY]: {
              'zh-Hans': { title: '名称', description: '小写字母' },
            },
          },
          runtime: {
            title: 'Runtime',
            type: 'string',
            enum: ['node', 'go'],
            enumNames: ['Node.js', 'Go'],
            [I18N_KEY]: {
              // a wrong count of enumNames is ignored (the English stays)
              'zh-Hans': { title: '运行时', enumNames: ['仅一个'] },
            },
          },
          untranslated: { title: 'Kept', type: 'string' },
        },
      },
    },
  ],
} as TemplateParameterSchema;

const hasKey = (value: unknown): boolean =>
  JSON.stringify(value).includes(I18N_KEY);

describe('translateTemplateSchema', () => {
  it('puts the Chinese in place of the English and removes every x-kubemate-i18n', () => {
    const zh = translateTemplateSchema(schema, 'zh-Hans');
    const props = zh.steps[0].schema.properties as Record<string, Node>;
    expect(zh.title).toBe('Kubemate 服务');
    expect(zh.description).toBe('新服务');
    expect(zh.steps[0].title).toBe('服务');
    expect(props.name).toEqual({
      title: '名称',
      description: '小写字母',
      type: 'string',
    });
    expect(props.runtime.title).toBe('运行时');
    expect(props.runtime.enumNames).toEqual(['Node.js', 'Go']);
    expect(props.runtime.enum).toEqual(['node', 'go']);
    expect(props.untranslated.title).toBe('Kept');
    expect(hasKey(zh)).toBe(false);
  });

  it('keeps the English in English (and for a language it has no text of), without the keys', () => {
    for (const language of ['en', 'fr']) {
      const out = translateTemplateSchema(schema, language);
      expect(out.title).toBe('Kubemate service');
      expect(out.steps[0].title).toBe('Service');
      expect(
        (out.steps[0].schema.properties as Record<string, Node>).name.title,
      ).toBe('Name');
      expect(hasKey(out)).toBe(false);
    }
  });

  it('finds zh-Hans for a zh-CN language by its base', () => {
    expect(translateTemplateSchema(schema, 'zh-CN').steps[0].title).toBe(
      '服务',
    );
  });

  it('does not change the schema it was given', () => {
    const before = JSON.stringify(schema);
    translateTemplateSchema(schema, 'zh-Hans');
    expect(JSON.stringify(schema)).toBe(before);
  });
});

describe('translateTask', () => {
  it("translates its steps' names", () => {
    const task = {
      id: 't1',
      spec: {
        steps: [
          {
            id: 'publish',
            name: 'Publish the repository',
            action: 'kubemate:git:publish',
            input: { name: 'x' },
            [I18N_KEY]: { 'zh-Hans': { name: '发布仓库' } },
          },
        ],
      },
      status: 'open',
      createdAt: '',
      lastHeartbeatAt: '',
    } as unknown as ScaffolderTask;
    const zh = translateTask(task, 'zh-Hans');
    expect(zh.spec.steps[0].name).toBe('发布仓库');
    expect(zh.spec.steps[0].input).toEqual({ name: 'x' });
    expect(translateTask(task, 'en').spec.steps[0].name).toBe(
      'Publish the repository',
    );
  });
});

describe('withTranslatedTemplates', () => {
  it('translates the schema and tasks in the language of the moment; other calls pass through', async () => {
    let language = 'zh-Hans';
    const api = {
      getTemplateParameterSchema: jest.fn(async () => schema),
      getTask: jest.fn(async () => ({ id: 't', spec: { steps: [] } })),
      listActions: jest.fn(async () => ['a']),
    } as unknown as ScaffolderApi;
    const wrapped = withTranslatedTemplates(api, () => language);
    expect(
      (await wrapped.getTemplateParameterSchema('template:default/x')).title,
    ).toBe('Kubemate 服务');
    language = 'en';
    expect(
      (await wrapped.getTemplateParameterSchema('template:default/x')).title,
    ).toBe('Kubemate service');
    expect(await wrapped.listActions()).toEqual(['a']);
    expect(api.getTemplateParameterSchema).toHaveBeenCalledWith(
      'template:default/x',
    );
  });
});

describe('the templates of templates/*', () => {
  const names = readdirSync(TEMPLATES, { withFileTypes: true })
    .filter(d => d.isDirectory())
    .map(d => d.name);

  /** Every object with English text and the paths of those without all of its Chinese. */
  function untranslated(node: unknown, path: string, out: string[]) {
    if (Array.isArray(node)) {
      node.forEach((v, i) => untranslated(v, `${path}[${i}]`, out));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const n = node as Node;
    const zh = ((n[I18N_KEY] as Node | undefined)?.['zh-Hans'] ?? {}) as Node;
    for (const key of ['title', 'description', 'enumNames']) {
      if (typeof n[key] === 'string' || Array.isArray(n[key])) {
        if (zh[key] === undefined) out.push(`${path}.${key}`);
      }
    }
    for (const [k, v] of Object.entries(n)) {
      // a field named title/description inside `properties` is a field, not text
      if (k !== I18N_KEY) untranslated(v, `${path}.${k}`, out);
    }
  }

  it.each(names)('%s has the Chinese of all its text', name => {
    const template = parse(
      readFileSync(join(TEMPLATES, name, 'template.yaml'), 'utf8'),
    );
    const missing: string[] = [];
    untranslated(template.spec.parameters, 'spec.parameters', missing);
    template.spec.steps.forEach((step: Node, i: number) => {
      const zh = (step[I18N_KEY] as Node | undefined)?.['zh-Hans'] as
        | Node
        | undefined;
      if (step.name && !zh?.name) missing.push(`spec.steps[${i}].name`);
    });
    const meta = (template.metadata['ui:options']?.[I18N_KEY]?.['zh-Hans'] ??
      {}) as Node;
    for (const key of ['title', 'description']) {
      if (!meta[key]) missing.push(`metadata.ui:options.${I18N_KEY}.${key}`);
    }
    expect(missing).toEqual([]);

    // and the wizard gets it: no English title left in Chinese, no key left in either
    const zh = translateTemplateSchema(parameterSchemaOf(template), 'zh-Hans');
    const en = translateTemplateSchema(parameterSchemaOf(template), 'en');
    expect(zh.title).not.toBe(template.metadata.title);
    expect(en.title).toBe(template.metadata.title);
    expect(hasKey(zh) || hasKey(en)).toBe(false);
    zh.steps.forEach(step => expect(step.title).toMatch(/\p{Script=Han}/u));
  });
});
