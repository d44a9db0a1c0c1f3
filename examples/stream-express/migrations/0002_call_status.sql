-- The status of each call, as Stream's webhooks report it, and the deliveries already applied (Stream may deliver
-- one twice: its X-Webhook-Id tells them apart).
CREATE TABLE call_status (
  call_cid text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('live', 'ended')),
  participants integer NOT NULL DEFAULT 0 CHECK (participants >= 0),
  started_at timestamptz,
  ended_at timestamptz,
  updated_at timestamptz NOT NULL
);
--> statement-breakpoint
CREATE TABLE stream_webhook_deliveries (
  webhook_id text PRIMARY KEY,
  type text NOT NULL,
  received_at timestamptz NOT NULL
);
