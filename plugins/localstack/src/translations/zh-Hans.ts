import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { localstackTranslationRef } from '../translation';

/** Simplified Chinese messages of the Local stack page. */
const zhHans = createTranslationMessages({
  ref: localstackTranslationRef,
  full: true,
  messages: {
    'page.title': '本地环境',
    'page.subtitle': '本机开发环境中各服务器的构建与启动情况',
    'page.deniedTitle': '您无权查看本地环境',
    'page.deniedMessage': '{{reason}}。请联系平台管理员开通权限。',
    'servers.notConfiguredTitle': '此门户没有本地环境',
    'servers.notConfiguredDescription':
      '“本地环境”页面显示 ./kubemate start 在开发者机器上构建并启动的服务器（kubemate.devStack.progressFile）。生产环境的门户使用自己的服务器。',
    'servers.notStartedTitle': '本地环境尚未启动',
    'servers.notStartedDescription':
      '运行 ./kubemate start（或 ./kubemate dev up）：其服务器在构建和启动时会显示在这里。',
    'servers.refresh': '刷新',
    'servers.server': '服务器',
    'servers.state': '状态',
    'servers.status': '进展',
    'servers.since': '开始于',
    'servers.log': '日志',
    'servers.logAria': '{{name}} 的日志',
    'servers.stale': 'stack.sh 停止时，{{name}} 处于“{{state}}”状态',
    'servers.readAgainFailed': '无法重新读取服务器；显示上一次的结果',
    'servers.working': 'stack.sh 正在运行 — 每 {{seconds}} 秒刷新一次',
    'servers.notRunning': 'stack.sh 未在运行',
    'servers.tableTitle': '服务器（{{total}}）',
    'states.pending': '等待中',
    'states.building': '构建中',
    'states.starting': '启动中',
    'states.up': '运行中',
    'states.failed': '失败',
    'states.stopped': '已停止',
    'describe.building': '{{name}} 仍在构建',
    'describe.buildingEta': '{{name}} 仍在构建 — {{eta}}',
    'describe.starting': '{{name}} 正在启动',
    'describe.startingEta': '{{name}} 正在启动 — {{eta}}',
    'describe.up': '{{name}} 已运行',
    'describe.failed': '{{name}} 构建失败',
    'describe.failedError': '{{name}} 构建失败：{{error}}',
    'describe.stopped': '{{name}} 已停止',
    'describe.waiting': '{{name}} 正在等待',
    'describe.waitingEta': '{{name}} 正在等待（{{eta}}）',
    'describe.etaAnyMoment': '随时就绪',
    'describe.etaUnderMinute': '剩余不到 1 分钟',
    'describe.etaMinutes': '大约还需 {{minutes}} 分钟',
    'describe.summary': '{{total}} 个服务器中 {{up}} 个已运行',
    'describe.summaryEta': '{{total}} 个服务器中 {{up}} 个已运行 — {{eta}}',
    'describe.summaryFailed':
      '{{total}} 个服务器中 {{up}} 个已运行，{{failed}} 个失败',
    'describe.summaryFailedEta':
      '{{total}} 个服务器中 {{up}} 个已运行，{{failed}} 个失败 — {{eta}}',
    'log.title': '{{name}} 的日志',
    'log.truncated': '{{path}} — 最后 {{lines}} 行',
    'log.noLog': '此服务器没有指定日志。',
    'log.empty': '日志为空（尚未写入任何内容）。',
    'log.refresh': '刷新',
    'log.close': '关闭',
  },
});

export default zhHans;
