-- Calls, who may be in them, when each person was in them, and per-user call preferences.
-- Statements are separated by "--> statement-breakpoint" (see src/db/migrator.ts).
-- User ids are Agora uids (1..4294967295), so they need bigint.

CREATE TABLE calls (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel_name text NOT NULL UNIQUE,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  creator_id bigint NOT NULL,
  is_public boolean NOT NULL,
  max_participants integer NOT NULL CHECK (max_participants BETWEEN 2 AND 1000),
  media_type text NOT NULL CHECK (media_type IN ('audio', 'video')),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended', 'paused')),
  created_at timestamptz NOT NULL,
  ended_at timestamptz
);
--> statement-breakpoint
CREATE INDEX calls_created_at ON calls (created_at);
--> statement-breakpoint
CREATE INDEX calls_public_active ON calls (created_at) WHERE is_public AND status = 'active';
--> statement-breakpoint

-- Who may join: the host, invitees (private calls) and everyone who ever joined. removed_at bars a rejoin.
CREATE TABLE call_members (
  call_id bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  user_id bigint NOT NULL,
  role text NOT NULL CHECK (role IN ('host', 'participant', 'invitee')),
  created_at timestamptz NOT NULL,
  removed_at timestamptz,
  PRIMARY KEY (call_id, user_id)
);
--> statement-breakpoint
CREATE INDEX call_members_user ON call_members (user_id);
--> statement-breakpoint

-- One row per stay in a call: analytics and durations are computed from these times.
CREATE TABLE call_sessions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id bigint NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  user_id bigint NOT NULL,
  joined_at timestamptz NOT NULL,
  left_at timestamptz,
  left_reason text CHECK (left_reason IN ('left', 'removed', 'ended')),
  CHECK ((left_at IS NULL) = (left_reason IS NULL)),
  CHECK (left_at IS NULL OR left_at >= joined_at)
);
--> statement-breakpoint
-- At most one open stay per user and call, whatever the races between two joins.
CREATE UNIQUE INDEX call_sessions_open ON call_sessions (call_id, user_id) WHERE left_at IS NULL;
--> statement-breakpoint
CREATE INDEX call_sessions_call ON call_sessions (call_id, joined_at);
--> statement-breakpoint

CREATE TABLE call_preferences (
  user_id bigint PRIMARY KEY,
  voice_masking_enabled boolean NOT NULL,
  video_masking_enabled boolean NOT NULL,
  auto_mute_on_join boolean NOT NULL,
  video_quality text NOT NULL CHECK (video_quality IN ('low', 'sd', 'hd')),
  preferred_avatar text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
