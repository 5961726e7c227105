import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsApiRef } from '../api/LogsApi';
import { logsTranslationRef } from '../translation';

/** Lines kept in the browser while tailing (oldest dropped beyond). */
export const TAIL_KEEP = 50_000;

/**
 * Live tail of the query while `tailing` is on: the newest lines first (at most
 * {@link TAIL_KEEP}), and a note on what the stream reported (waiting, dropped lines, ended).
 * The tail stops on its own when the stream ends or fails (`onError`).
 */
export function useLiveTail(options: {
  query: string;
  entityRef: string;
  onError: (e: Error) => void;
}) {
  const { query, entityRef, onError } = options;
  const api = useApi(logsApiRef);
  const { t } = useTranslationRef(logsTranslationRef);
  const [tailing, setTailing] = useState(false);
  const [tailLines, setTailLines] = useState<LogLine[]>([]);
  const [tailNote, setTailNote] = useState('');

  useEffect(() => {
    if (!tailing) return undefined;
    const controller = new AbortController();
    setTailLines([]);
    setTailNote(t('tail.waiting'));
    api
      .tail(
        { query, entityRef },
        e => {
          if (e.type === 'lines' && e.lines.length) {
            setTailLines(prev =>
              [...e.lines.slice().reverse(), ...prev].slice(0, TAIL_KEEP),
            );
            setTailNote('');
          } else if (e.type === 'dropped') {
            setTailNote(t('tail.dropped', { n: String(e.count) }));
          } else if (e.type === 'end') {
            setTailNote(t('tail.ended', { reason: e.reason }));
            setTailing(false);
          }
        },
        controller.signal,
      )
      .catch(e => {
        onError(e as Error);
        setTailing(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tailing]);

  return { tailing, setTailing, tailLines, tailNote };
}
