-- Plans are billing's catalog (ids up to 64 characters, [a-z0-9][a-z0-9_-]*), no longer a fixed list of three.
alter table tenants.tenant alter column plan type varchar(64);
