import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  Answer,
  Citation,
  RagUpstream,
} from '@kubemate/plugin-rag-common';
import { isAbortError, ragApiRef } from '../api';
import { shownError, ShownError } from '../lib/errors';

/** Where an answer is: `data-state` of the answer (`rag-answer`). */
export type AnswerPhase =
  | 'idle'
  | 'streaming'
  | 'done'
  | 'notfound'
  | 'error'
  | 'stopped';

export interface AskState {
  phase: AnswerPhase;
  question?: string;
  answerId?: string;
  collections?: string[];
  cached: boolean;
  citations: Citation[];
  /** no passage scored above the relevance threshold */
  notFound: boolean;
  /** the answer's text so far */
  text: string;
  /** the whole answer once `done` arrived (or one shown from the history) */
  answer?: Answer;
  error?: ShownError;
  /** ms from asking to the first token, as measured here while the answer streams */
  firstTokenMs?: number;
}

const IDLE: AskState = {
  phase: 'idle',
  cached: false,
  citations: [],
  notFound: false,
  text: '',
};

/** The state of an answer given whole (the history, or the end of a stream). */
export function answerState(answer: Answer): AskState {
  return {
    phase: answer.notFound ? 'notfound' : 'done',
    question: answer.question,
    answerId: answer.id,
    collections: answer.collections,
    cached: answer.cached,
    citations: answer.citations,
    notFound: answer.notFound,
    text: answer.answer,
    answer,
  };
}

/**
 * Asks a question and follows its streamed answer: `ask` (a new question aborts the previous
 * one), `stop` (keeps what arrived), `show` (an answer of the history), `update` (the answer
 * with its new feedback). Leaving the view aborts the stream.
 */
export function useAsk() {
  const api = useApi(ragApiRef);
  const [state, setState] = useState<AskState>(IDLE);
  const controller = useRef<AbortController>();

  useEffect(() => () => controller.current?.abort(), []);

  const ask = useCallback(
    async (question: string, collections?: string[], model?: string) => {
      controller.current?.abort();
      const mine = new AbortController();
      controller.current = mine;
      const started = performance.now();
      const update = (fn: (s: AskState) => AskState) => {
        if (controller.current === mine) setState(fn);
      };
      setState({ ...IDLE, phase: 'streaming', question, collections });
      const fail = (error: ShownError) =>
        update(s => ({ ...s, phase: 'error', error }));
      try {
        await api.streamQuery(
          {
            question,
            ...(collections ? { collections } : {}),
            ...(model ? { model } : {}),
          },
          {
            onMeta: meta =>
              update(s => ({
                ...s,
                answerId: meta.id,
                collections: meta.collections,
                cached: meta.cached,
              })),
            onCitations: c =>
              update(s => ({
                ...s,
                citations: c.citations,
                notFound: c.notFound,
              })),
            onToken: text =>
              update(s => ({
                ...s,
                text: s.text + text,
                firstTokenMs:
                  s.firstTokenMs ?? Math.round(performance.now() - started),
              })),
            onDone: answer =>
              update(s => ({
                ...answerState(answer),
                firstTokenMs: s.firstTokenMs,
              })),
            onError: (e: { message: string; upstream?: RagUpstream }) =>
              fail({ message: e.message, upstream: e.upstream }),
          },
          mine.signal,
        );
      } catch (e) {
        if (isAbortError(e)) return; // stopped, or superseded by a newer question
        fail(shownError(e));
      }
    },
    [api],
  );

  const stop = useCallback(() => {
    const current = controller.current;
    if (!current) return;
    controller.current = undefined;
    current.abort();
    setState(s => (s.phase === 'streaming' ? { ...s, phase: 'stopped' } : s));
  }, []);

  const show = useCallback((answer: Answer) => {
    controller.current?.abort();
    controller.current = undefined;
    setState(answerState(answer));
  }, []);

  const update = useCallback(
    (answer: Answer) =>
      setState(s => (s.answerId === answer.id ? { ...s, answer } : s)),
    [],
  );

  return { state, ask, stop, show, update };
}
