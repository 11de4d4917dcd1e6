-- Batch instances of a model that one worker runs at the same time (Triton's instance_group count). Null: the
-- worker's own default (infermint.worker.batching.instances), as for every deployment stored before this column.
alter table deployment add column instances integer check (instances between 1 and 16);
