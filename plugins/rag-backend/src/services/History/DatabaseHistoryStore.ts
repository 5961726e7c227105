import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { Answer, Feedback } from '@kubemate/plugin-rag-common';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import type { Knex } from 'knex';
import type { HistoryStore } from './types';

export const HISTORY_TABLE = 'rag_answers';

const setUp = async (db: Knex) => {
  await ensureTable(db, HISTORY_TABLE, t => {
    t.string('id', 64).primary();
    t.string('user_ref').notNullable();
    t.text('question').notNullable();
    /** the Answer as JSON, without its feedback (the columns below) */
    t.text('answer').notNullable();
    /** `,a,b,` (sorted): "searched collection x" is `LIKE '%,x,%'` */
    t.text('collections').notNullable();
    /** ISO-8601 UTC: sorts as text on every database */
    t.string('created_at', 32).notNullable();
    t.string('feedback_rating', 8).nullable();
    t.text('feedback_comment').nullable();
    t.string('feedback_at', 32).nullable();
    t.index(['user_ref', 'created_at']);
  });
};

interface Row {
  id: string;
  user_ref: string;
  answer: string;
  feedback_rating: string | null;
  feedback_comment: string | null;
  feedback_at: string | null;
}

function answerOf(row: Row): Answer {
  const answer = JSON.parse(row.answer) as Answer;
  if (row.feedback_rating) {
    answer.feedback = {
      rating: row.feedback_rating as Feedback['rating'],
      ...(row.feedback_comment ? { comment: row.feedback_comment } : {}),
      at: row.feedback_at!,
    };
  }
  return answer;
}

/**
 * Questions, answers and feedback in the plugin database (SQLite or PostgreSQL): every read and
 * write is narrowed to the user's own rows, so another user's answer id reads as not there.
 */
export class DatabaseHistoryStore implements HistoryStore {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, setUp);
  }

  async save(userEntityRef: string, answer: Answer): Promise<void> {
    const { feedback: _, ...rest } = answer;
    const db = await this.db();
    await db(HISTORY_TABLE).insert({
      id: answer.id,
      user_ref: userEntityRef,
      question: answer.question,
      answer: JSON.stringify(rest),
      collections: `,${[...answer.collections].sort().join(',')},`,
      created_at: answer.createdAt,
    });
  }

  async list(
    userEntityRef: string,
    options: { limit: number; collection?: string },
  ): Promise<Answer[]> {
    const db = await this.db();
    const query = db<Row>(HISTORY_TABLE)
      .where('user_ref', userEntityRef)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    if (options.collection) {
      // names match RAG_COLLECTION_NAME_PATTERN (no LIKE wildcards); escaped all the same
      const escaped = options.collection.replace(/[\\%_]/g, c => `\\${c}`);
      query.whereRaw(`collections LIKE ? ESCAPE '\\'`, [`%,${escaped},%`]);
    }
    return (await query).map(answerOf);
  }

  async get(userEntityRef: string, id: string): Promise<Answer | undefined> {
    const db = await this.db();
    const row = await db<Row>(HISTORY_TABLE)
      .where({ id, user_ref: userEntityRef })
      .first();
    return row ? answerOf(row) : undefined;
  }

  async setFeedback(
    userEntityRef: string,
    id: string,
    feedback: Feedback,
  ): Promise<Answer | undefined> {
    const db = await this.db();
    const updated = await db(HISTORY_TABLE)
      .where({ id, user_ref: userEntityRef })
      .update({
        feedback_rating: feedback.rating,
        feedback_comment: feedback.comment ?? null,
        feedback_at: feedback.at,
      });
    return updated ? this.get(userEntityRef, id) : undefined;
  }
}
