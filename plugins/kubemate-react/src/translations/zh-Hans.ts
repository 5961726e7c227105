import { createTranslationMessages } from '@backstage/core-plugin-api/alpha';
import { kubemateReactTranslationRef } from '../translation';

/** Simplified Chinese messages of the shared Kubemate components. */
const zhHans = createTranslationMessages({
  ref: kubemateReactTranslationRef,
  full: true,
  messages: {
    'permission.checking': '正在检查您的权限…',
    'permission.denied': '您没有权限 {{permission}}',
    'permission.deniedOn': '您没有对 {{on}} 的权限 {{permission}}',
    'permission.checkFailed': '无法检查权限 {{permission}}：{{message}}',
    'timeRange.label': '时间范围',
    'timeRange.autoRefresh': '自动刷新',
    'timeRange.refreshNow': '立即刷新',
    'timeRange.loading': '加载中…',
    'timeRange.until': '截至 {{time}}',
    'timeRange.ranges.15m': '最近 15 分钟',
    'timeRange.ranges.1h': '最近 1 小时',
    'timeRange.ranges.6h': '最近 6 小时',
    'timeRange.ranges.24h': '最近 24 小时',
    'timeRange.ranges.7d': '最近 7 天',
    'timeRange.ranges.30d': '最近 30 天',
    'timeRange.refresh.off': '关闭',
    'timeRange.refresh.15s': '15 秒',
    'timeRange.refresh.30s': '30 秒',
    'timeRange.refresh.1m': '1 分钟',
    'decisionDialog.comment': '备注',
    'decisionDialog.commentRequired': '必填：请告诉申请人原因',
    'decisionDialog.commentOptional': '选填',
    'decisionDialog.cancel': '取消',
    'clusterErrors.title': '无法读取集群 {{cluster}}',
    'syntax.empty': '请输入{{what}}',
    'syntax.errorNear':
      '语法错误：第 {{line}} 行第 {{column}} 列，靠近 "{{near}}"',
    'syntax.errorAtEnd':
      '语法错误：第 {{line}} 行第 {{column}} 列（查询提前结束）',
    'syntax.query': '查询',
    'errors.upstreamUnavailable': '{{upstream}} 不可用：{{detail}}',
    'errors.upstreamTimeout': '{{upstream}} 在 {{seconds}} 秒内没有响应',
    'errors.notAllowed': '您无权执行此操作：{{detail}}',
    'errors.notFound': '未找到：{{detail}}',
    'errors.invalidInput': '输入无效：{{detail}}',
    'errors.conflict': '冲突：{{detail}}',
    'errors.unknown': '{{detail}}',
    'duration.ms': '{{value}} 毫秒',
    'duration.s': '{{value}} 秒',
    'duration.min': '{{value}} 分钟',
    'duration.h': '{{value}} 小时',
    'duration.d': '{{value}} 天',
  },
});

export default zhHans;
