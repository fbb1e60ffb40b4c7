export { EventBus, type DomainEvent, type EventHandler } from './event-bus';
export { eventsMigrations } from './events.migrations';
export { listCursors, type StoredEvent } from './events-store';
