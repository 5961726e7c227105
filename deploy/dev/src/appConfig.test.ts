/*
 * The app-config overlay derived from stack.json (src/appConfig.ts): no servers needed.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  mergeJson,
  renderStackAppConfig,
  stackAppConfig,
  writeStackAppConfig,
} from './index';

const fragment = {
  kubernetes: {
    clusterLocatorMethods: [
      { type: 'config', clusters: [{ name: 'dev-cluster', url: 'x' }] },
    ],
  },
  kubemate: { logs: { loki: { url: 'http://127.0.0.1:3100' } } },
};

describe('stackAppConfig', () => {
  it('is the fragment of stack.json plus kubemate.devStack.stateFile and progressFile', () => {
    expect(stackAppConfig({ appConfig: fragment }, '/s/stack.json')).toEqual({
      ...fragment,
      kubemate: {
        logs: { loki: { url: 'http://127.0.0.1:3100' } },
        devStack: {
          stateFile: '/s/stack.json',
          progressFile: '/s/progress.json',
        },
      },
    });
  });

  it('has only the state file when no server contributed config', () => {
    const devStack = {
      stateFile: '/s/stack.json',
      progressFile: '/s/progress.json',
    };
    expect(stackAppConfig({ appConfig: {} }, '/s/stack.json')).toEqual({
      kubemate: { devStack },
    });
    expect(stackAppConfig({}, '/s/stack.json')).toEqual({
      kubemate: { devStack },
    });
  });
});

describe('mergeJson', () => {
  it('merges objects, replaces arrays and never lets a null replace a value', () => {
    expect(
      mergeJson({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, d: null }),
    ).toEqual({ a: { b: 1, c: [3] }, d: 'x' });
    expect(mergeJson(undefined, null)).toBeNull();
  });
});

describe('renderStackAppConfig / writeStackAppConfig', () => {
  it('writes YAML comments plus the overlay as JSON, owner-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubemate-appconfig-'));
    const stateFile = join(dir, 'stack.json');
    const outFile = join(dir, 'app-config.stack.yaml');
    writeFileSync(
      stateFile,
      JSON.stringify({
        version: 1,
        appConfigFile: outFile,
        appConfig: fragment,
      }),
    );
    writeStackAppConfig(stateFile, outFile);
    const text = readFileSync(outFile, 'utf8');
    expect(text).toBe(renderStackAppConfig({ appConfig: fragment }, stateFile));
    expect(text.startsWith('# ')).toBe(true);
    expect(parse(text)).toEqual(
      stackAppConfig({ appConfig: fragment }, stateFile),
    );
    // eslint-disable-next-line no-bitwise
    expect(statSync(outFile).mode & 0o777).toBe(0o600);
  });
});
