import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { ClusterAuditService } from '@kubemate/plugin-kubemate-node';
import type {
  Answer,
  FeedbackRequest,
  ListResponse,
} from '@kubemate/plugin-rag-common';
import type { HistoryStore } from './types';

/** What the /history routes do: the user's own answers only (another user's id is 404). */
export interface HistoryService {
  list(
    credentials: BackstageCredentials,
    options: { limit?: number; collection?: string },
  ): Promise<ListResponse<Answer>>;
  get(credentials: BackstageCredentials, id: string): Promise<Answer>;
  /** Thumbs up or down with an optional comment; audited. */
  setFeedback(
    credentials: BackstageCredentials,
    id: string,
    request: FeedbackRequest,
  ): Promise<Answer>;
}

export const MAX_HISTORY_LIMIT = 200;
export const MAX_FEEDBACK_COMMENT = 2000;

/** The user a history belongs to: only users have one. */
export function historyOwner(credentials: BackstageCredentials): string {
  const user = (credentials.principal as { userEntityRef?: string })
    .userEntityRef;
  if (!user) {
    throw new NotAllowedError('Only users have a question history');
  }
  return user;
}

/**
 * The user's own questions, answers and feedback: the permission is being that user (no rag.*
 * permission is involved — it is their own data). Feedback is audited as `rag.feedback`.
 */
export class DefaultHistoryService implements HistoryService {
  constructor(
    private readonly options: {
      store: HistoryStore;
      audit: ClusterAuditService;
      logger: LoggerService;
    },
  ) {}

  async list(
    credentials: BackstageCredentials,
    options: { limit?: number; collection?: string },
  ): Promise<ListResponse<Answer>> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw new InputError(`limit must be 1 to ${MAX_HISTORY_LIMIT}`);
    }
    return {
      items: await this.options.store.list(historyOwner(credentials), {
        limit,
        ...(options.collection ? { collection: options.collection } : {}),
      }),
    };
  }

  async get(credentials: BackstageCredentials, id: string): Promise<Answer> {
    const answer = await this.options.store.get(historyOwner(credentials), id);
    if (!answer) throw new NotFoundError(`No answer ${id} in your history`);
    return answer;
  }

  async setFeedback(
    credentials: BackstageCredentials,
    id: string,
    request: FeedbackRequest,
  ): Promise<Answer> {
    const user = historyOwner(credentials);
    const record = (result: 'success' | 'failure', message: string) =>
      this.options.audit
        .record({
          actor: user,
          action: 'rag.feedback',
          kind: 'RagAnswer',
          name: id,
          result,
          message,
        })
        .catch(e =>
          this.options.logger.error(
            `Failed to write audit record: ${String(e)}`,
          ),
        );
    if (request.rating !== 'up' && request.rating !== 'down') {
      throw new InputError('rating must be "up" or "down"');
    }
    const comment = request.comment?.trim();
    if (comment && comment.length > MAX_FEEDBACK_COMMENT) {
      throw new InputError(
        `comment is longer than ${MAX_FEEDBACK_COMMENT} characters`,
      );
    }
    const answer = await this.options.store.setFeedback(user, id, {
      rating: request.rating,
      ...(comment ? { comment } : {}),
      at: new Date().toISOString(),
    });
    if (!answer) {
      await record('failure', 'not in the user’s history');
      throw new NotFoundError(`No answer ${id} in your history`);
    }
    await record('success', `rated ${request.rating}`);
    return answer;
  }
}
