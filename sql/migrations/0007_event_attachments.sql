-- Attachments of vehicle events (an invoice, a claim report, a photo of
-- the damage, a fine notice): files checked and stored as documents'
-- files are (documents_file.c), under the organisation's folder of the
-- data directory, never under static/.  A row is written in the same
-- transaction as its event.

CREATE TABLE event_attachments (
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    id            uuid NOT NULL DEFAULT gen_random_uuid(),
    event_id      uuid NOT NULL,
    file_name     text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    content_type  text NOT NULL
                  CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size_bytes    bigint NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
    storage_key   text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    uuid REFERENCES users ON DELETE SET NULL,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT event_attachments__id__key UNIQUE (id),
    CONSTRAINT event_attachments__storage_key__key UNIQUE (tenant_id, storage_key),
    FOREIGN KEY (tenant_id, event_id) REFERENCES vehicle_events (tenant_id, id) ON DELETE CASCADE
);
-- An event's attachments in the order they were sent (and the cascade).
CREATE INDEX event_attachments__event__idx ON event_attachments (tenant_id, event_id, created_at);

-- As for vehicle_events (0003): the organisation's members see its rows;
-- a driver sees an attachment only when they see its event, i.e. an
-- event recorded while they drove the vehicle.  The event's own rule is
-- repeated here rather than left to the policy of vehicle_events, so that
-- this table's visibility reads in one place.  Drivers write nothing.
ALTER TABLE event_attachments ENABLE ROW LEVEL SECURITY;
CREATE POLICY event_attachments_tenant ON event_attachments
    USING (tenant_id = (SELECT app_tenant())
           AND (NOT (SELECT app_is_driver()) OR EXISTS (
               SELECT 1 FROM vehicle_events e
                WHERE e.tenant_id = event_attachments.tenant_id
                  AND e.id = event_attachments.event_id
                  AND e.driver_id = (SELECT app_driver_id()))))
    WITH CHECK (tenant_id = (SELECT app_tenant()) AND NOT (SELECT app_is_driver()));

-- 0001's default privileges would give fleetcore_app UPDATE too; an
-- attachment is never rewritten (its file is immutable), so the grant is
-- spelt out.
REVOKE ALL ON event_attachments FROM fleetcore_app;
GRANT SELECT, INSERT, DELETE ON event_attachments TO fleetcore_app;
