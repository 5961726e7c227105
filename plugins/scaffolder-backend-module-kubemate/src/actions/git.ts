import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { provisioningRepositoryCreatePermission } from '../permissions';
import { GitPublisher, validateRepository } from '../services/GitPublisher';
import { Provisioner } from '../services/Provisioner';
import { actorOf } from './common';

export function createGitPublishAction(
  provisioner: Provisioner,
  publisher: GitPublisher,
) {
  return createTemplateAction({
    id: 'kubemate:git:publish',
    description:
      'Publishes the workspace (or a directory in it) to a repository on the configured Git host (kubemate.provisioning.git.baseUrl), creating the repository when needed. Running it again with the same content pushes nothing.',
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z => z.string().describe('Repository name'),
        branch: z => z.string().default('main'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe('Directory in the workspace (default: all of it)'),
        message: z =>
          z
            .string()
            .default('Initial commit from the Kubemate service template'),
      },
      output: {
        remoteUrl: z => z.string(),
        repoContentsUrl: z => z.string(),
        catalogInfoUrl: z => z.string(),
        commitHash: z => z.string().optional(),
        changed: z => z.boolean(),
      },
    },
    async handler(ctx) {
      // the scaffolder validates inputs against the schema but does not apply its defaults
      const { repoName, branch = 'main', sourcePath } = ctx.input;
      const message =
        ctx.input.message ??
        'Initial commit from the Kubemate service template';
      validateRepository(repoName, branch);
      await provisioner.authorizeBasic(
        await ctx.getInitiatorCredentials(),
        provisioningRepositoryCreatePermission,
      );
      const { remoteUrl, repoContentsUrl } = publisher.urls(repoName, branch);
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', repoContentsUrl);
      ctx.output('catalogInfoUrl', `${repoContentsUrl}/catalog-info.yaml`);
      if (ctx.isDryRun) {
        ctx.logger.info(`dry run: would publish to ${remoteUrl}`);
        ctx.output('changed', true);
        return;
      }
      const user = ctx.user?.entity;
      const result = await publisher.publish({
        repo: repoName,
        branch,
        sourceDir: sourcePath
          ? resolveSafeChildPath(ctx.workspacePath, sourcePath)
          : ctx.workspacePath,
        workDir: await ctx.createTemporaryDirectory(),
        author: {
          name:
            user?.spec?.profile?.displayName ??
            user?.metadata.name ??
            'Kubemate Portal',
          email: user?.spec?.profile?.email ?? 'scaffolder@kubemate.local',
        },
        message,
      });
      await provisioner.record(
        actorOf(ctx),
        'kubemate:git:publish',
        'success',
        result.changed
          ? `pushed ${result.commitHash} to ${remoteUrl} ${branch}`
          : `${remoteUrl} ${branch} already has this content (${result.commitHash})`,
        { kind: 'Repository', name: repoName },
      );
      ctx.logger.info(
        result.changed
          ? `pushed ${result.commitHash} to ${remoteUrl}`
          : `unchanged: ${remoteUrl} ${branch} already has this content`,
      );
      ctx.output('commitHash', result.commitHash);
      ctx.output('changed', result.changed);
    },
  });
}
