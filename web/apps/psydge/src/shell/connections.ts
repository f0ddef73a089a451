// The trader's broker connections: read, made and ended here, so the connect screen, the
// settings' broker section and the panel's gate agree on one list.
//
// Credentials pass through once: connect() sends the MetaApi token in the request body and
// keeps nothing of the request; the server seals it and never answers it back.
import { create } from "zustand";
import { ApiError } from "@alorig/ui";
import { api } from "../api";
import type { Connection } from "../types";

export type ConnectRequest = { broker: "paper"; currency?: string; balance?: number } | { broker: "metaapi"; account_id: string; token: string };

/** A connection the broker refused: the server recorded it as failed and said why. */
export class ConnectFailed extends Error {
  constructor(readonly connection: Connection) {
    super(connection.last_error || "the broker did not accept the connection");
    this.name = "ConnectFailed";
  }
}

/** Whether any connection is in use (not ended): the panel needs one to trade. */
export function hasLiveConnection(cs: Connection[] | undefined): boolean {
  return (cs ?? []).some((c) => c.connection_status !== "disconnected");
}

interface ConnectionsState {
  list?: Connection[];
  load(): Promise<Connection[]>;
  connect(req: ConnectRequest): Promise<Connection>;
  remove(id: number): Promise<void>;
  reset(): void;
}

export const useConnections = create<ConnectionsState>((set, get) => ({
  async load() {
    const list = await api.get<Connection[]>("/broker-connections");
    set({ list });
    return list;
  },
  async connect(req) {
    try {
      return await api.post<Connection>("/broker-connections", req);
    } catch (e) {
      // A MetaApi account that did not answer is a 502 whose body is the failed connection.
      if (e instanceof ApiError && e.status === 502 && e.body.connection_status === "failed") {
        throw new ConnectFailed(e.body as unknown as Connection);
      }
      throw e;
    } finally {
      // Made or failed, the list changed on the server.
      await get().load().catch(() => undefined);
    }
  },
  async remove(id) {
    await api.del(`/broker-connections/${id}`);
    await get().load();
  },
  reset() {
    set({ list: undefined });
  },
}));
