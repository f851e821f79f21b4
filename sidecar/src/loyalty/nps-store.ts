import { execute, selectOne, selectRows, type Queryable } from '../db/queryable.ts';

// NPS answers: one per survey message (answering again changes it), and what the shop sees of them.

export type NpsAnswer = { score: number; comment: string };

/** The answer already given to the survey in this message, or null. */
export async function npsAnswerTo(db: Queryable, outboxId: number): Promise<NpsAnswer | null> {
  return selectOne(db, 'SELECT score, comment FROM nps_responses WHERE outbox_id = ?', [outboxId], (r) => ({
    score: r.num('score'),
    comment: r.str('comment'),
  }));
}

export type NpsAnswerRow = {
  shopId: number;
  outboxId: number;
  enrollmentId: number;
  customerKey: string | null;
  score: number;
  comment: string | null;
  answeredAt: Date;
};

/** Stores the answer to one message, replacing an earlier one. */
export async function saveNpsAnswer(db: Queryable, answer: NpsAnswerRow): Promise<void> {
  await execute(
    db,
    `INSERT INTO nps_responses (shop_id, outbox_id, enrollment_id, customer_key, score, comment, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE score = VALUES(score), comment = VALUES(comment), answered_at = VALUES(answered_at)`,
    [answer.shopId, answer.outboxId, answer.enrollmentId, answer.customerKey, answer.score, answer.comment, answer.answeredAt],
  );
}

/** How many of the shop's answers fall in each NPS group: promoters 9–10, passives 7–8, detractors 0–6. */
export async function npsCounts(db: Queryable, shopId: number): Promise<{ promoters: number; passives: number; detractors: number }> {
  const counts = await selectOne(
    db,
    `SELECT COALESCE(SUM(score >= 9), 0) AS promoters, COALESCE(SUM(score BETWEEN 7 AND 8), 0) AS passives,
     COALESCE(SUM(score <= 6), 0) AS detractors FROM nps_responses WHERE shop_id = ?`,
    [shopId],
    (r) => ({ promoters: r.num('promoters'), passives: r.num('passives'), detractors: r.num('detractors') }),
  );
  // An aggregate without GROUP BY always answers one row.
  return counts!;
}

export type NpsResponse = {
  email: string | null;
  customerKey: string | null;
  score: number;
  comment: string | null;
  answeredAt: Date;
  flow: string | null;
};

/** The shop's latest answers, newest first, with the customer's email where we know it and the flow that asked. */
export async function latestNpsResponses(db: Queryable, shopId: number, limit: number): Promise<NpsResponse[]> {
  return selectRows(
    db,
    `SELECT r.score, r.comment, r.answered_at, r.customer_key, e.flow,
       COALESCE(p.email, c.email, CASE WHEN r.customer_key LIKE '%@%' THEN r.customer_key END) AS email
     FROM nps_responses r LEFT JOIN enrollments e ON e.id = r.enrollment_id
     LEFT JOIN customer_profiles p ON p.shop_id = r.shop_id AND p.customer_key = r.customer_key
     LEFT JOIN customers c ON c.shop_id = r.shop_id AND c.customer_key = r.customer_key
     WHERE r.shop_id = ? ORDER BY r.answered_at DESC, r.id DESC LIMIT ?`,
    [shopId, limit],
    (r) => ({
      email: r.strOrNull('email'),
      customerKey: r.strOrNull('customer_key'),
      score: r.num('score'),
      comment: r.strOrNull('comment'),
      answeredAt: r.date('answered_at'),
      flow: r.strOrNull('flow'),
    }),
  );
}
