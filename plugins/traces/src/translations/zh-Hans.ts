import { createTranslationMessages } from '@backstage/frontend-plugin-api';
import { tracesTranslationRef } from '../translation';

/** Simplified Chinese messages of the traces plugin. */
const zhHans = createTranslationMessages({
  ref: tracesTranslationRef,
  full: true,
  messages: {
    'content.title': '链路',
    'content.empty': '在您可读取的命名空间中没有匹配的链路。',
    'content.serviceGraph': '服务拓扑',
    'search.operation': '操作名',
    'search.minDuration': '最短耗时',
    'search.maxDuration': '最长耗时',
    'search.tags': '标签',
    'search.tagsHelp': 'key=value，以空格分隔',
    'search.lookback': '回溯时间',
    'search.lookbacks.15m': '15 分钟',
    'search.lookbacks.1h': '1 小时',
    'search.lookbacks.6h': '6 小时',
    'search.lookbacks.1d': '1 天',
    'search.errorsOnly': '仅错误',
    'search.submit': '搜索',
    'list.label': '链路',
    'list.columns.started': '开始时间',
    'list.columns.root': '根跨度',
    'list.columns.duration': '耗时',
    'list.columns.spans': '跨度数',
    'list.columns.services': '服务',
    'list.errors': '{{n}} 个错误',
    'view.title': '链路',
    'view.back': '返回搜索',
    'waterfall.spans': '{{n}} 个跨度',
    'waterfall.errors': '{{n}} 个错误',
    'waterfall.logsLink': '查看此链路的日志',
    'waterfall.legend':
      '粗条为关键路径（请求等待的跨度）。位于您无权读取的命名空间中的跨度仅显示服务和耗时。',
    'waterfall.label': '链路瀑布图',
    'waterfall.details': '跨度详情',
    'waterfall.redacted':
      '此跨度运行在您无权读取的命名空间中：其标签和日志已隐藏。',
    'waterfall.tags': '跨度标签',
    'waterfall.log': '日志 +{{offset}}',
    'graph.empty': '最近一小时内没有记录到调用。',
    'graph.label': '服务拓扑',
    'graph.caller': '调用方',
    'graph.callee': '被调用方',
    'graph.calls': '调用次数（1 小时）',
  },
});

export default zhHans;
