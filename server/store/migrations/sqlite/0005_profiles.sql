-- The compatibility profiles (SPEC §7).
-- Every webhook gets the 24-hex id the Interactly profile addresses it by,
-- kept for its life beside its UUID.
ALTER TABLE webhooks ADD COLUMN interactly_id TEXT NOT NULL DEFAULT '';
UPDATE webhooks SET interactly_id = lower(hex(randomblob(12)));
CREATE UNIQUE INDEX webhooks_by_interactly_id ON webhooks (interactly_id);

-- The Interactly document's five workflow types and the Konpro example's
-- two, each under the next free id (an admin may have added types already)
-- and only where the label is not in the catalog yet.
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'workflow_created', 'A workflow was created',
    '{"workflow_id": "5eb7cf5a86d9755df3a6c593", "name": "Candidate screening", "created_at": "2026-01-15T10:30:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'workflow_created');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'workflow_updated', 'A workflow was changed',
    '{"workflow_id": "5eb7cf5a86d9755df3a6c593", "name": "Candidate screening v2", "updated_at": "2026-01-15T11:00:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'workflow_updated');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'workflow_deleted', 'A workflow was deleted',
    '{"workflow_id": "5eb7cf5a86d9755df3a6c593", "deleted_at": "2026-01-15T12:00:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'workflow_deleted');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'workflow_run_started', 'A workflow run began',
    '{"workflow_id": "5eb7cf5a86d9755df3a6c593", "run_id": "65a4f1c2e4b0a1b2c3d4e5f6", "started_at": "2026-01-15T10:31:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'workflow_run_started');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'workflow_run_completed', 'A workflow run finished',
    '{"workflow_id": "5eb7cf5a86d9755df3a6c593", "run_id": "65a4f1c2e4b0a1b2c3d4e5f6", "status": "completed", "completed_at": "2026-01-15T10:35:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'workflow_run_completed');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'video.updated', 'A video was updated',
    '{"video_id": "video_123456", "status": "completed", "url": "https://example.com/videos/video_123456.mp4"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'video.updated');
INSERT INTO event_types (id, label, description, example_payload, created_at)
SELECT (SELECT MAX(id) + 1 FROM event_types), 'avatar.deleted', 'An avatar was deleted',
    '{"avatar_id": "avatar_123456", "deleted_at": "2024-01-15T10:30:00Z"}', 0
WHERE NOT EXISTS (SELECT 1 FROM event_types WHERE label = 'avatar.deleted');
