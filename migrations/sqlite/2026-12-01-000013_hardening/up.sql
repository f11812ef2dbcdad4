-- Issue 14: what a sync may tell, and deliveries no one would send.

-- Whether an article was ever public. A sync shows a tombstone only for an
-- article a reader could have held: one that is no longer visible but was.
-- A draft that never went out (even with a publication time in the past)
-- leaves no trace, and its id is not told. Set by every write to an article
-- that finds it visible just before (articles::queries::update).
ALTER TABLE articles ADD COLUMN was_public BOOLEAN NOT NULL DEFAULT 0;

-- Articles written before this column: what their state says they were.
UPDATE articles SET was_public = 1
WHERE published_at IS NOT NULL
  AND published_at <= strftime('%Y-%m-%d %H:%M:%f', 'now')
  AND status IN ('published', 'scheduled', 'archived');

-- Deliveries still pending for a paused subscription were never going to be
-- sent: given up, as pausing now does (webhooks::routes::update_webhook).
UPDATE webhook_deliveries
SET status = 'failed', last_error = 'the subscription was paused before this was sent'
WHERE status = 'pending'
  AND webhook_id IN (SELECT id FROM webhooks WHERE active = 0);
