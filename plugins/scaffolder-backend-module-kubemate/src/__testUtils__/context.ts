import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';

/**
 * The context an action handler gets, from createMockActionContext: the given input, run by
 * alice, optionally as a dry run (the mock does not take `isDryRun`). `ctx.output` is a jest mock.
 */
export function actionContext<TInput extends Record<string, any>>(
  input: TInput,
  options: { dryRun?: boolean; workspacePath?: string } = {},
) {
  const ctx = createMockActionContext<any, any>({
    input,
    user: { ref: 'user:default/alice' },
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  return Object.assign(ctx, { isDryRun: options.dryRun ?? false });
}

/** The outputs an action set, by name (the last value of each). */
export function outputsOf(ctx: { output: unknown }): Record<string, unknown> {
  const calls = (ctx.output as jest.Mock).mock.calls as Array<
    [string, unknown]
  >;
  return Object.fromEntries(calls);
}
