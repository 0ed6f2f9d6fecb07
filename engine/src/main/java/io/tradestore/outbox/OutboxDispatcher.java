package io.tradestore.outbox;

import io.tradestore.config.EngineConfig;
import io.tradestore.store.Store;
import io.tradestore.store.Write;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers committed outbox events: read the next due events (on a read-only connection), deliver them with no
 * transaction open, record the outcomes (a short write that rides in the writer's group commit).
 *
 * <p>What is being delivered is kept in memory, not written into the rows: the engine lock makes this the only
 * dispatcher of the database, and a row stays PENDING until its outcome is recorded, so after a crash the events
 * that were in flight are simply delivered again (at least once; consumers deduplicate on {@code eventId}).
 *
 * <p>Reads go in passes: a pass starts from the first pending event and each read continues after the last seq
 * taken ({@code cursor}). Events a pass leaves behind its cursor are those held back by a failed event of their
 * aggregate; a new pass starts when one of those failed events comes due for its retry, or after an operator's
 * requeue or skip ({@link #rescan}). A pass never waits for the deliveries in flight: it skips the events still
 * taken (being delivered, queued behind their aggregate's first, or delivered and awaiting their mark) and the
 * aggregates whose failure is not recorded yet, and appends a later event to its aggregate's chain if one is being
 * delivered, so other aggregates keep flowing while one fails.
 *
 * <p>The events the trading book appends come straight from its commits ({@link OutboxFeed}): when they directly
 * follow the last event taken, they are taken from memory, with no read. Anything else is read from the table.
 *
 * <p>Woken right after a commit that appended events; an adaptive poll (pollMin..pollMax, and the exact time of
 * the next due retry) is the safety net for lost signals, restarts and retries. Events of one aggregate are
 * delivered one after another in seq order, also across retries; a failing event holds back only the later
 * events of its own aggregate.
 *
 * <p>One attempt at one event is {@link EventDelivery}'s; recording the outcomes in batches is {@link MarkBatcher}'s;
 * which events of an aggregate wait behind which is {@link AggregateChains}'. This class schedules the reads and
 * passes and keeps the three in step. All state is confined to the context that started the dispatcher.
 */
final class OutboxDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

  private final Vertx vertx;
  private final Store store;
  private final EngineConfig.Outbox settings;
  private final RetryPolicy retry;
  private final Clock clock;
  private final OutboxMetrics metrics;
  private final OutboxFeed feed;
  /** Hears of each delivery; the crash tests stop the dispatcher through it. */
  private final DeliveryObserver deliveries;
  private final AtomicBoolean wakePosted = new AtomicBoolean();
  private final Runnable commitListener = this::onWriterCommit;
  private final EventDelivery delivery;
  private final MarkBatcher marks;
  private final AggregateChains chains = new AggregateChains();
  /**
   * Whether an event may be holding back its aggregate in the database (blocked, or failed and waiting for its
   * retry). Only a read's SQL knows which aggregates are held, so hand-offs are refused while any may be: true until
   * a check of the table says none is, true again as soon as this dispatcher decides a failure, and checked again at
   * every pass from the start and after a retried event's publication is recorded.
   */
  private boolean holdsPossible = true;
  /** Failures decided since start: a check that began before the latest one cannot clear {@link #holdsPossible}. */
  private long failuresDecided;
  private boolean checkingHolds;
  /** Operator actions (requeue, skip) submitted and not yet committed: no read is taken meanwhile. */
  private int operatorActions;
  /**
   * Seqs whose outcome committed while a read was running: the read may have seen them still PENDING, so it must
   * not take them again (a pass from the start would deliver them twice, or a retry before its time).
   */
  private final Set<Long> recordedDuringRead = new HashSet<>();

  private Context context;
  /** Events appended and not handed over by the feed, as of the last commit: a change means a read is needed. */
  private long unhandedSeen = -1;
  // written on the dispatcher's context only; volatile for tests that read them from theirs
  private volatile long reads;
  private volatile long handedOverEvents;
  /** The last seq taken in this pass; the next read starts after it. */
  private long cursor;
  /** When this pass started: retries due by then were taken in it (see OutboxRepository.CLAIM). */
  private long passStart;
  private boolean rescanWanted = true; // the first read starts a pass
  /** The earliest retry of this run due after the current pass started (its mark may not be committed yet). */
  private long rescanAt = Long.MAX_VALUE;
  private int inFlight;
  private boolean reading;
  private boolean wakeAgain;
  private boolean stopping;
  private boolean crashed;
  private long idleDelay;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private Promise<Void> drained;

  OutboxDispatcher(Vertx vertx, Store store, EngineConfig.Outbox settings, RetryPolicy retry, Clock clock,
                   OutboxMetrics metrics, OutboxFeed feed, DeliveryObserver deliveries) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
    this.retry = retry;
    this.clock = clock;
    this.metrics = metrics;
    this.feed = feed;
    this.deliveries = deliveries;
    this.idleDelay = settings.pollMinMs();
    this.delivery = new EventDelivery(vertx.eventBus(), settings);
    this.marks = new MarkBatcher(vertx, store.writer(), this::recorded,
        () -> drained != null && drained.future().isComplete());
  }

  /** Gives back what an older version left in flight, then starts delivering. Call on the owning context. */
  Future<Void> start() {
    context = Vertx.currentContext();
    return store.writer().submit(Write.refusingBeforeWriting(OutboxRepository::reclaimInFlight)).map(reclaimed -> {
      if (reclaimed > 0) {
        LOG.warn("reclaimed {} outbox event(s) an earlier build left in flight; they will be delivered again", reclaimed);
      }
      feed.connect(events -> context.runOnContext(v -> handedOver(events)));
      store.writer().onCommit(commitListener);
      wake();
      return null;
    });
  }

  /** Stops taking events, lets the deliveries in flight finish and records their outcomes. */
  Future<Void> stop() {
    LOG.debug("outbox stopping: {} reads, {} events taken from the writer's hand-off", reads, handedOverEvents);
    stopping = true;
    feed.disconnect();
    store.writer().removeCommitListener(commitListener);
    cancelTimer();
    marks.flushWithoutLinger();
    drained = Promise.promise();
    checkDrained();
    long bound = settings.deliveryTimeoutMs() + 5_000L;
    long guard = vertx.setTimer(bound, id -> {
      if (drained.tryComplete()) {
        LOG.warn("outbox stopped with {} event(s) still in flight after {} ms; they will be delivered again at the next start",
            inFlight, bound);
      }
    });
    return drained.future().andThen(x -> vertx.cancelTimer(guard));
  }

  /** Wakes the dispatcher from any thread (a commit). */
  void signal() {
    if (wakePosted.compareAndSet(false, true)) {
      context.runOnContext(v -> {
        wakePosted.set(false);
        wake();
      });
    }
  }

  /**
   * Before an operator makes a BLOCKED event deliverable again (requeue) or lets its aggregate go on (skip): the
   * events it held back are behind the cursor, so a new pass must take them before anything later of their
   * aggregate. From here until the change is committed, nothing read is taken and no pass starts (a read racing the
   * operator's commit could see the change and return a later event first). On the dispatcher's context; every
   * call is followed by one {@link #rescanNow}.
   */
  void rescan() {
    operatorActions++;
    rescanWanted = true;
  }

  /** After the operator's change committed (or failed): a pass from the start. */
  void rescanNow() {
    operatorActions--;
    rescanWanted = true;
    wake();
  }

  /**
   * On the writer's context, after each commit: only commits that appended events the feed did not hand over wake
   * the dispatcher to read (a hand-off was posted before this runs).
   */
  private void onWriterCommit() {
    long unhanded = OutboxAppender.appendedCount() - feed.handedCount();
    if (unhanded != unhandedSeen) {
      unhandedSeen = unhanded;
      signal();
    }
  }

  /**
   * Events the trading book just committed, in seq order. Taken as they are when they directly follow the last
   * event taken, with no read in progress or wanted and room for all of them; otherwise the table is read, from the
   * cursor, which finds them there.
   */
  private void handedOver(List<ClaimedEvent> events) {
    if (stopping) {
      return;
    }
    boolean follows = events.get(0).seq() == cursor + 1;
    for (int i = 1; follows && i < events.size(); i++) {
      follows = events.get(i).seq() == events.get(i - 1).seq() + 1;
    }
    if (!follows || holdsPossible || reading || rescanWanted || operatorActions > 0
        || settings.maxInFlight() - inFlight < events.size()) {
      wake();
      return;
    }
    handedOverEvents += events.size();
    // the idle poll keeps backing off: it is the safety net for events the table holds, and these did not need it
    cursor = events.get(events.size() - 1).seq();
    take(events);
  }

  private void wake() {
    if (stopping) {
      return;
    }
    if (reading) {
      wakeAgain = true;
      return;
    }
    if (operatorActions > 0) {
      return; // the operator's commit calls rescanNow
    }
    if (rescanWanted) {
      rescanWanted = false;
      cursor = 0;
      passStart = clock.millis();
      if (rescanAt <= passStart) {
        rescanAt = Long.MAX_VALUE; // due by now: this pass takes it
      }
      chains.newPass();
      checkHolds();
      long start = passStart;
      // the recorded retries not due yet need a pass when they come due
      store.readers().read(session -> OutboxRepository.nextRetryAfter(session, start)).onComplete(next -> {
        if (next.failed()) {
          scheduleAt(clock.millis() + settings.pollMaxMs());
        } else if (next.result() != null) {
          scheduleAt(next.result());
        }
      });
    }
    // reads are not held back by the marks of earlier rounds: with the writer busy, waiting for each round's
    // marks capped delivery below the rate events are written at (docs/performance.md)
    int room = Math.min(settings.batchSize(), settings.maxInFlight() - inFlight);
    if (room <= 0) {
      wakeAgain = true; // recorded outcomes make room and wake again
      return;
    }
    reading = true;
    reads++;
    recordedDuringRead.clear();
    wakeAgain = false;
    long from = cursor;
    long start = passStart;
    store.readers().read(session -> OutboxRepository.claim(session, from, start, room)).onComplete(claimed -> {
      reading = false;
      if (claimed.failed()) {
        LOG.warn("outbox read failed: {}", claimed.cause().getMessage());
        scheduleAt(clock.millis() + settings.pollMaxMs());
        checkDrained();
        return;
      }
      List<ClaimedEvent> events = claimed.result();
      if (stopping) {
        checkDrained(); // start nothing new: these are still PENDING and go at the next start
        return;
      }
      if (rescanWanted || operatorActions > 0) {
        wake(); // not taken: the new pass reads them again, in order with what it must take first
        return;
      }
      if (events.isEmpty()) {
        scheduleAt(clock.millis() + idleDelay);
        idleDelay = Math.min(idleDelay * 2, settings.pollMaxMs());
      } else {
        idleDelay = settings.pollMinMs();
        cursor = Math.max(cursor, events.get(events.size() - 1).seq());
        take(events);
        if (events.size() == room) {
          wakeAgain = true; // there may be more
        }
      }
      if (wakeAgain) {
        wake();
      }
    });
  }

  /** Appends each event to its aggregate's chain, starting the chains that were idle. */
  private void take(List<ClaimedEvent> events) {
    for (ClaimedEvent e : events) {
      if (crashed || stopping) {
        return;
      }
      AggregateChains.Taken taken = chains.take(e, recordedDuringRead.contains(e.seq()));
      if (taken != AggregateChains.Taken.SKIPPED) {
        inFlight++;
      }
      if (taken == AggregateChains.Taken.FIRST) {
        deliverNext(e.aggregateKey());
      }
    }
  }

  /**
   * Asks the table whether any event holds back its aggregate; hand-offs resume only when none does and no failure
   * was decided meanwhile (its mark may not be committed yet) or is still unrecorded.
   */
  private void checkHolds() {
    if (checkingHolds || stopping) {
      return;
    }
    checkingHolds = true;
    long failuresBefore = failuresDecided;
    store.readers().read(OutboxRepository::anyHeld).onComplete(held -> {
      checkingHolds = false;
      if (held.succeeded() && !held.result() && failuresDecided == failuresBefore && !chains.anyUnrecordedFailure()) {
        holdsPossible = false;
      }
    });
  }

  /** The safety net: whether a retry is due decides between reading on from the cursor and from the start. */
  private void poll() {
    if (stopping) {
      return;
    }
    long start = passStart;
    store.readers().read(session -> OutboxRepository.nextRetryAfter(session, start)).onComplete(next -> {
      long now = clock.millis();
      Long due = next.succeeded() ? next.result() : null;
      if (rescanAt <= now || (due != null && due <= now)) {
        rescanWanted = true;
      } else {
        // the next retry this run knows of, recorded or not: under load no empty read would schedule a poll
        long at = Math.min(due == null ? Long.MAX_VALUE : due, rescanAt);
        if (next.failed()) {
          at = Math.min(at, now + settings.pollMaxMs());
        }
        if (at < Long.MAX_VALUE) {
          scheduleAt(at);
        }
      }
      wake();
    });
  }

  /** Delivers the first event of an aggregate's chain; after a failure the rest are left PENDING, not attempted. */
  private void deliverNext(String key) {
    ClaimedEvent event = chains.first(key);
    delivery.deliver(event).onComplete(outcome -> {
      if (crashed) {
        return;
      }
      if (deliveries.crashAfter(event)) {
        crash();
        return;
      }
      long now = clock.millis();
      if (outcome.succeeded()) {
        record(Mark.published(event, now));
        ClaimedEvent next = chains.delivered(key);
        if (next != null && stopping) {
          // finish what is in flight, start nothing new: the rest is still PENDING and goes at the next start
          abandon(key);
        } else if (next != null) {
          deliverNext(key);
        }
        return;
      }
      metrics.failedAttempt();
      holdsPossible = true; // its aggregate is held from now on, and a hand-off would not know
      failuresDecided++;
      DeliveryFailure failure = DeliveryFailure.classify(outcome.cause(), settings.deliveryTimeoutMs());
      if (!failure.retryable() || retry.exhausted(event.attempts())) {
        metrics.blocked();
        LOG.warn("outbox event seq {} ({} of {} {}) is BLOCKED after {} attempt(s): {}; requeue or skip it "
            + "(trading.outbox.requeue / trading.outbox.skip)", event.seq(), event.type(), event.aggregateType(),
            event.aggregateId(), event.attempts(), failure.message());
        record(Mark.blocked(event, now, failure.message()));
      } else {
        metrics.retried();
        long next = now + retry.delayAfter(event.attempts());
        record(Mark.retry(event, now, next, failure.message()));
        rescanAt = Math.min(rescanAt, next);
        scheduleAt(next);
      }
      inFlight -= chains.failed(key);
      if (stopping) {
        checkDrained();
      }
    });
  }

  /** Drops the rest of a chain from memory: those rows were never changed, so they are still PENDING. */
  private void abandon(String key) {
    inFlight -= chains.abandon(key);
    if (stopping) {
      checkDrained();
    }
  }

  private void record(Mark mark) {
    marks.record(mark);
  }

  /** A batch of outcomes committed: their events leave the chains, and what they held up may go on. */
  private void recorded(List<Mark> batch) {
    inFlight -= batch.size();
    boolean retriedPublished = false;
    for (Mark m : batch) {
      retriedPublished |= m.outcome() == Mark.Outcome.PUBLISHED && m.attempts() > 1;
      chains.recorded(m);
      if (reading) {
        recordedDuringRead.add(m.seq());
      }
      if (m.outcome() == Mark.Outcome.PUBLISHED) {
        metrics.delivered(m.at() - m.createdAt());
      } else {
        if (m.outcome() == Mark.Outcome.RETRY && m.nextAttemptAt() <= passStart) {
          // came due before the current pass started, which had to skip it (its mark was not committed): only
          // another pass takes it, and no timer would ask for one
          rescanWanted = true;
        } else if (m.outcome() == Mark.Outcome.RETRY) {
          // due after the current pass started: if its failure was decided before that pass, the pass dropped it
          // from rescanAt (reset once an earlier retry came due), its own timer may never have been set (an
          // earlier one was pending) and the pass's look for the next retry ran before this mark committed. Left
          // so, it waited for an empty read's poll, which never comes once the last read found events: until the
          // next restart (seen in CrashLoopTest, 1 run in 7 with FULL, 2 in 5 with NORMAL).
          rescanAt = Math.min(rescanAt, m.nextAttemptAt());
          scheduleAt(m.nextAttemptAt());
        }
      }
    }
    if (retriedPublished && holdsPossible) {
      checkHolds(); // a retried event went through: its aggregate may be held no more
    }
    if (stopping) {
      checkDrained();
    } else if (wakeAgain || rescanWanted) {
      // room for the events a full dispatcher left in the table, or the read from the start a failure asked for;
      // otherwise nothing waits, and a read here would only turn away the next hand-off
      wake();
    }
  }

  private void checkDrained() {
    if (drained != null && inFlight == 0 && !reading && marks.idle()) {
      drained.tryComplete();
    }
  }

  /** As a process that died here ({@link DeliveryObserver}): its outcomes unrecorded, the rows still PENDING. */
  private void crash() {
    LOG.warn("outbox dispatcher crash simulated by a test hook");
    crashed = true;
    stopping = true;
    marks.discard();
    cancelTimer();
    feed.disconnect();
    store.writer().removeCommitListener(commitListener);
    if (drained != null) {
      drained.tryComplete();
    }
  }

  private void scheduleAt(long at) {
    if (stopping || at >= timerAt) {
      return;
    }
    cancelTimer();
    timerAt = at;
    timerId = vertx.setTimer(Math.max(1, at - clock.millis()), id -> {
      timerId = -1;
      timerAt = Long.MAX_VALUE;
      poll();
    });
  }

  private void cancelTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerAt = Long.MAX_VALUE;
  }

  /** Events taken and not yet recorded, for the status command (in the database they are still PENDING). */
  int inFlight() {
    return inFlight;
  }

  /** Reads of the table so far, and events taken from the feed instead (tests). */
  long reads() {
    return reads;
  }

  long handedOverCount() {
    return handedOverEvents;
  }

  /** Whether the hook crashed this dispatcher (tests). */
  boolean crashed() {
    return crashed;
  }
}
