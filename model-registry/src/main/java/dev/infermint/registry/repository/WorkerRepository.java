package dev.infermint.registry.repository;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Registered workers. */
@ApplicationScoped
public class WorkerRepository implements PanacheRepositoryBase<WorkerEntity, String> {
}
