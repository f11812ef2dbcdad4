-- Where FTS5 keeps the index's segments is no part of the schema, and
-- searches find the same articles on any level: nothing to undo.
SELECT 1;
