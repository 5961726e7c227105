import { memo, useMemo, useState } from 'react';
import { Typography, useTheme } from '@material-ui/core';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { formatTs } from '../../lib/query';

export const ROW_HEIGHT = 22;
const OVERSCAN = 10;

const LEVEL_COLOR: Record<string, string> = {
  error: '#d32f2f',
  warn: '#ef6c00',
  info: '#0277bd',
  debug: '#757575',
};

export interface LogListProps {
  lines: LogLine[];
  height?: number;
  selected?: LogLine;
  onSelect: (line: LogLine) => void;
}

/**
 * The result list, virtualized: only the rows in view (plus a margin) are in the DOM, so 50,000
 * lines scroll as smoothly as 50. Fixed row height; the full line opens in the details panel.
 */
interface RowProps {
  line: LogLine;
  index: number;
  selected: boolean;
  onSelect: (line: LogLine) => void;
  muted: string;
  accent: string;
  selectedBg: string;
}

/** One row: plain elements with fixed styles (rows are re-rendered on every scroll frame). */
const Row = memo(function LogRow(props: RowProps) {
  const {
    line: l,
    index,
    selected,
    onSelect,
    muted,
    accent,
    selectedBg,
  } = props;
  return (
    <div
      role="listitem"
      data-level={l.labels.level}
      style={{
        position: 'absolute',
        top: index * ROW_HEIGHT,
        height: ROW_HEIGHT,
        left: 0,
        right: 0,
        background: selected ? selectedBg : undefined,
        borderLeft: `3px solid ${LEVEL_COLOR[l.labels.level] ?? 'transparent'}`,
      }}
    >
      <div
        role="button"
        tabIndex={0}
        onClick={() => onSelect(l)}
        onKeyDown={e => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onSelect(l);
          }
        }}
        style={{
          height: ROW_HEIGHT,
          lineHeight: `${ROW_HEIGHT}px`,
          display: 'flex',
          gap: 8,
          padding: '0 8px',
          cursor: 'pointer',
          whiteSpace: 'nowrap',
        }}
      >
        <span style={{ color: muted }}>{formatTs(l.ts)}</span>
        <span
          style={{
            color: muted,
            maxWidth: 180,
            overflow: 'hidden',
            textOverflow: 'ellipsis',
          }}
        >
          {l.labels.pod}
        </span>
        <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', flex: 1 }}>
          {l.line}
        </span>
        {l.traceId && (
          <span title="This line has a trace" style={{ color: accent }}>
            ⧉ trace
          </span>
        )}
      </div>
    </div>
  );
});

/**
 * The result list, virtualized: only the rows in view (plus a margin) are in the DOM, so 50,000
 * lines scroll as smoothly as 50. Fixed row height; the full line opens in the details panel.
 */
export function LogList(props: LogListProps) {
  const { lines, height = 520, selected, onSelect } = props;
  const theme = useTheme();
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const count = Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN;
  const visible = useMemo(
    () => lines.slice(first, first + count),
    [lines, first, count],
  );

  if (!lines.length) {
    return (
      <Typography color="textSecondary" style={{ padding: 16 }}>
        No log lines in this time range for this query.
      </Typography>
    );
  }
  return (
    <div
      role="list"
      aria-label={`Log lines (${lines.length})`}
      data-total={lines.length}
      onScroll={e => setScrollTop((e.target as HTMLDivElement).scrollTop)}
      style={{
        height,
        overflowY: 'auto',
        position: 'relative',
        fontFamily: 'monospace',
        fontSize: 12,
        border: `1px solid ${theme.palette.divider}`,
        contain: 'strict',
      }}
    >
      <div style={{ height: lines.length * ROW_HEIGHT, position: 'relative' }}>
        {visible.map((l, i) => (
          <Row
            key={first + i}
            line={l}
            index={first + i}
            selected={selected === l}
            onSelect={onSelect}
            muted={theme.palette.text.secondary}
            accent={theme.palette.primary.main}
            selectedBg={theme.palette.action.selected}
          />
        ))}
      </div>
    </div>
  );
}
