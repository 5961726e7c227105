import {
  KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
} from 'react';
import { makeStyles, Typography } from '@material-ui/core';
import { Rect, useVirtualizer, Virtualizer } from '@tanstack/react-virtual';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';

export const ROW_HEIGHT = 22;
/** Rows rendered beyond each edge of the view: a small margin, every extra row costs on scroll. */
export const OVERSCAN = 4;

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

/*
 * Styles as classes created once (no style objects per row and render). Every row is absolutely
 * positioned at a fixed height and contained, so a row entering the view lays out and paints alone.
 */
const useStyles = makeStyles(theme => ({
  list: {
    overflowY: 'auto',
    position: 'relative',
    fontFamily: 'monospace',
    fontSize: 12,
    border: `1px solid ${theme.palette.divider}`,
    contain: 'strict',
    overflowAnchor: 'none',
  },
  inner: { position: 'relative', width: '100%' },
  row: {
    position: 'absolute',
    top: 0,
    left: 0,
    right: 0,
    height: ROW_HEIGHT,
    lineHeight: `${ROW_HEIGHT}px`,
    borderLeft: '3px solid transparent',
    contain: 'strict',
  },
  selected: { background: theme.palette.action.selected },
  button: {
    height: ROW_HEIGHT,
    display: 'flex',
    gap: 8,
    padding: '0 8px',
    cursor: 'pointer',
    whiteSpace: 'nowrap',
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  muted: { color: theme.palette.text.secondary, flex: 'none' },
  pod: {
    color: theme.palette.text.secondary,
    flex: 'none',
    maxWidth: 180,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  },
  text: { overflow: 'hidden', textOverflow: 'ellipsis', flex: 1 },
  trace: { color: theme.palette.primary.main, flex: 'none' },
}));

type Classes = ReturnType<typeof useStyles>;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * HH:MM:SS.mmm in local time, the same text as formatTs() of lib/query without building a
 * locale formatter per call (toLocaleTimeString with options does, ~0.1 ms a row).
 */
export function rowTime(ts: string): string {
  const d = new Date(Number(BigInt(ts) / 1_000_000n));
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(
    d.getSeconds(),
  )}.${pad(d.getMilliseconds(), 3)}`;
}

interface RowProps {
  line: LogLine;
  index: number;
  selected: boolean;
  onSelect: (line: LogLine) => void;
  onKeyDown: (e: KeyboardEvent<HTMLDivElement>) => void;
  classes: Classes;
  /** The row's translated texts: one object per list render language, shared by every row. */
  texts: RowTexts;
}

interface RowTexts {
  hasTrace: string;
  trace: string;
}

/** One row; memoized, so a scroll renders only the rows that enter the view. */
const Row = memo(function LogRow(props: RowProps) {
  const {
    line: l,
    index,
    selected,
    onSelect,
    onKeyDown,
    classes,
    texts,
  } = props;
  const color = LEVEL_COLOR[l.labels.level];
  return (
    <div
      role="listitem"
      data-index={index}
      data-level={l.labels.level}
      className={selected ? `${classes.row} ${classes.selected}` : classes.row}
      style={{
        transform: `translateY(${index * ROW_HEIGHT}px)`,
        borderLeftColor: color,
      }}
    >
      <div
        role="button"
        tabIndex={0}
        aria-current={selected || undefined}
        className={classes.button}
        onClick={() => onSelect(l)}
        onKeyDown={onKeyDown}
      >
        <span className={classes.muted}>{rowTime(l.ts)}</span>
        {/* the pod's name and the line as the service wrote it: data, not UI text */}
        <span className={classes.pod} translate="no">
          {l.labels.pod}
        </span>
        <span className={classes.text} translate="no">
          {l.line}
        </span>
        {l.traceId && (
          <span title={texts.hasTrace} className={classes.trace}>
            {texts.trace}
          </span>
        )}
      </div>
    </div>
  );
});

/**
 * The result list, virtualized with @tanstack/react-virtual: only the rows in view plus a small
 * margin are in the DOM, at a fixed row height (no measuring), so 50,000 lines scroll within the
 * frame budget. The view's height is the `height` prop (no resize observing). Keyboard: Enter or
 * Space opens the focused line's details; ArrowUp/ArrowDown move between lines, Home/End to the
 * first/last line (scrolled into view); the full line opens in the details panel.
 */
export function LogList(props: LogListProps) {
  const { lines, height = 520, selected, onSelect } = props;
  const classes = useStyles();
  // translated once per list render (not per row); rows get the same object while t is unchanged
  const { t } = useTranslationRef(logsTranslationRef);
  const texts = useMemo<RowTexts>(
    () => ({ hasTrace: t('list.hasTrace'), trace: t('list.trace') }),
    [t],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const setRect = useRef<(rect: Rect) => void>();
  const virtualizer = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    initialRect: { width: 0, height },
    // the view is exactly `height` tall: no ResizeObserver, and the same window in tests (jsdom
    // has no layout); a new height is passed on by the effect below
    observeElementRect: (
      _instance: Virtualizer<HTMLDivElement, Element>,
      cb: (rect: Rect) => void,
    ) => {
      setRect.current = cb;
      cb({ width: scrollRef.current?.clientWidth ?? 0, height });
      return () => {
        setRect.current = undefined;
      };
    },
  });
  useEffect(() => {
    setRect.current?.({ width: scrollRef.current?.clientWidth ?? 0, height });
  }, [height]);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLDivElement>) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>(
        '[role=listitem]',
      );
      if (!row) return;
      const index = Number(row.dataset.index);
      let next: number | undefined;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onSelect(lines[index]);
        return;
      }
      if (e.key === 'ArrowDown') next = Math.min(lines.length - 1, index + 1);
      else if (e.key === 'ArrowUp') next = Math.max(0, index - 1);
      else if (e.key === 'Home') next = 0;
      else if (e.key === 'End') next = lines.length - 1;
      if (next === undefined) return;
      e.preventDefault();
      const target = next;
      const view = scrollRef.current;
      if (!view) return;
      const top = target * ROW_HEIGHT;
      if (top < view.scrollTop) view.scrollTop = top;
      else if (top + ROW_HEIGHT > view.scrollTop + height)
        view.scrollTop = top + ROW_HEIGHT - height;
      const focus = () =>
        view
          .querySelector<HTMLElement>(`[data-index="${target}"] [role=button]`)
          ?.focus({ preventScroll: true });
      focus();
      requestAnimationFrame(focus); // after the scroll has rendered the row
    },
    [lines, onSelect, height],
  );

  if (!lines.length) {
    return (
      <Typography color="textSecondary" style={{ padding: 16 }}>
        {t('list.empty')}
      </Typography>
    );
  }
  return (
    <div
      ref={scrollRef}
      role="list"
      aria-label={t('list.label', { n: String(lines.length) })}
      data-total={lines.length}
      className={classes.list}
      style={{ height }}
    >
      <div
        className={classes.inner}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map(item => (
          <Row
            key={item.index}
            line={lines[item.index]}
            index={item.index}
            selected={selected === lines[item.index]}
            onSelect={onSelect}
            onKeyDown={onKeyDown}
            classes={classes}
            texts={texts}
          />
        ))}
      </div>
    </div>
  );
}
