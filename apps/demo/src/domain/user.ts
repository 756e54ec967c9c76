import { AggregateRoot, type EventHandlers } from '@strata/core';

export type UserEvent =
  | { type: 'user.registered'; data: { email: string; name: string; registeredAt: Date } }
  | { type: 'user.email_changed'; data: { from: string; to: string } };

export class User extends AggregateRoot<UserEvent> {
  email = '';
  name = '';

  protected readonly handlers: EventHandlers<UserEvent> = {
    'user.registered': ({ email, name }) => {
      this.email = email;
      this.name = name;
    },
    'user.email_changed': ({ to }) => {
      this.email = to;
    },
  };

  register(email: string, name: string): void {
    if (this.version > 0) throw new Error(`user ${this.id} is already registered`);
    this.record('user.registered', { email, name, registeredAt: new Date() });
  }

  changeEmail(to: string): void {
    if (to === this.email) return;
    this.record('user.email_changed', { from: this.email, to });
  }
}
