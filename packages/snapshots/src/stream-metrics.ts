import type { LoadReport } from '@strata/core';
import type { SnapshotContext } from './snapshot-strategy.js';

interface StreamStats {
  snapshotVersion: number;
  snapshotAt: number;
  replayMsPerEvent: number;
  lastReplayMs: number;
  stateBytes: number;
  loadRate: number;
  loadRateAt: number;
}

/** Loads per minute decay with this time constant, so a burst fades after about ten minutes. */
const LOAD_RATE_DECAY_MS = 10 * 60_000;
/** Weight of the newest measurement in the per-event replay cost. */
const REPLAY_COST_SMOOTHING = 0.3;

/**
 * What the strategies need, per stream, measured in this process. Bounded: the least recently
 * used streams are forgotten first, and a forgotten stream is treated as never snapshotted.
 */
export class StreamMetrics {
  private readonly streams = new Map<string, StreamStats>();

  constructor(
    private readonly maxStreams: number,
    private readonly now: () => number,
  ) {}

  loaded(report: LoadReport): void {
    const stats = this.touch(report.streamId);
    const now = this.now();
    stats.loadRate = this.decayedRate(stats, now) + 1;
    stats.loadRateAt = now;
    stats.lastReplayMs = report.replayMs;
    if (report.eventsReplayed > 0) {
      const perEvent = report.replayMs / report.eventsReplayed;
      stats.replayMsPerEvent =
        stats.replayMsPerEvent === 0
          ? perEvent
          : stats.replayMsPerEvent + REPLAY_COST_SMOOTHING * (perEvent - stats.replayMsPerEvent);
    }
    if (report.snapshotVersion > stats.snapshotVersion) stats.snapshotVersion = report.snapshotVersion;
  }

  snapshotWritten(streamId: string, version: number, stateBytes: number): void {
    const stats = this.touch(streamId);
    if (version >= stats.snapshotVersion) {
      stats.snapshotVersion = version;
      stats.snapshotAt = this.now();
      stats.stateBytes = stateBytes;
    }
  }

  context(streamId: string, streamType: string, version: number): SnapshotContext {
    const stats = this.touch(streamId);
    const now = this.now();
    return {
      streamId,
      streamType,
      version,
      eventsSinceSnapshot: Math.max(0, version - stats.snapshotVersion),
      msSinceSnapshot: now - stats.snapshotAt,
      replayMsPerEvent: stats.replayMsPerEvent,
      lastReplayMs: stats.lastReplayMs,
      stateBytes: stats.stateBytes,
      loadsPerMinute: (this.decayedRate(stats, now) * 60_000) / LOAD_RATE_DECAY_MS,
    };
  }

  get size(): number {
    return this.streams.size;
  }

  private decayedRate(stats: StreamStats, now: number): number {
    return stats.loadRate * Math.exp(-(now - stats.loadRateAt) / LOAD_RATE_DECAY_MS);
  }

  private touch(streamId: string): StreamStats {
    let stats = this.streams.get(streamId);
    if (stats === undefined) {
      const now = this.now();
      stats = {
        snapshotVersion: 0,
        snapshotAt: now,
        replayMsPerEvent: 0,
        lastReplayMs: 0,
        stateBytes: 0,
        loadRate: 0,
        loadRateAt: now,
      };
      if (this.streams.size >= this.maxStreams) {
        this.streams.delete(this.streams.keys().next().value as string);
      }
    } else {
      this.streams.delete(streamId);
    }
    // Re-inserting keeps the Map in least-recently-used order.
    this.streams.set(streamId, stats);
    return stats;
  }
}
