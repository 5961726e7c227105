import type { Answer, Feedback } from '@kubemate/plugin-rag-common';

/** Every user's questions, answers and feedback, in the plugin database. */
export interface HistoryStore {
  save(userEntityRef: string, answer: Answer): Promise<void>;
  list(
    userEntityRef: string,
    options: { limit: number; collection?: string },
  ): Promise<Answer[]>;
  /** Only the user's own answers (undefined otherwise). */
  get(userEntityRef: string, id: string): Promise<Answer | undefined>;
  setFeedback(
    userEntityRef: string,
    id: string,
    feedback: Feedback,
  ): Promise<Answer | undefined>;
}
