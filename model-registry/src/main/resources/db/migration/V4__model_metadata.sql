-- Editable metadata of models and versions, MLflow-style: a free-text description and string tags (key -> value).
-- Neither changes what a version is (its file, signature and digest stay immutable).
alter table model add column description text;
alter table model add column tags jsonb not null default '{}'::jsonb;
alter table model_version add column description text;
alter table model_version add column tags jsonb not null default '{}'::jsonb;
