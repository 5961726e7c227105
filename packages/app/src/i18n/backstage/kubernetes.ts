import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { kubernetesTranslationRef } from '@backstage/plugin-kubernetes/alpha';

/** Simplified Chinese of Backstage's Kubernetes plugin (the upstream Kubernetes tab's page). */
export default createTranslationMessages({
  ref: kubernetesTranslationRef,
  full: true,
  messages: {
    'kubernetesContentPage.permissionAlert.title': '需要权限',
    'kubernetesContentPage.permissionAlert.message':
      "要查看 Kubernetes 对象，请联系门户管理员授予你 'kubernetes.clusters.read' 和 'kubernetes.resources.read' 权限。",
    'kubernetesContentPage.title': '你的集群',
    'kubernetesContentPage.emptyState.title': '没有 Kubernetes 资源',
    'kubernetesContentPage.emptyState.description':
      '已知集群上没有 {{entityName}} 的资源',
    'entityContent.title': 'Kubernetes',
  },
});
