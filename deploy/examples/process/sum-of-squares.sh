#!/usr/bin/env bash
# A checkpointable SOOS process job (see docs/JOBS.md): sums i*i for i = 1..STEPS, one step every
# STEP_SECONDS, and prints "answer N" at the end. The known final answer is STEPS*(STEPS+1)*(2*STEPS+1)/6
# (STEPS=600: 72180100), whether the job ran in one go or was checkpointed, moved and resumed.
#
# Contract: on SIGTERM it writes "<next i> <sum so far>" to $SOOS_CHECKPOINT_DIR/state and exits with
# $SOOS_CHECKPOINT_EXIT_CODE (75); started with $SOOS_RESUME_FROM it continues from that state.
set -euo pipefail

steps="${STEPS:-600}"
step_seconds="${STEP_SECONDS:-0.02}"
i=1
acc=0

if [[ -n "${SOOS_RESUME_FROM:-}" ]]; then
  read -r i acc < "$SOOS_RESUME_FROM/state"
  echo "resumed at i=$i sum=$acc (epoch ${SOOS_EPOCH:-?})"
else
  echo "started (epoch ${SOOS_EPOCH:-?}, $steps steps)"
fi

on_term() {
  # One arithmetic command per step below, so the pair (i, acc) is always consistent here.
  if [[ -n "${SOOS_CHECKPOINT_DIR:-}" ]]; then
    printf '%s %s\n' "$i" "$acc" > "$SOOS_CHECKPOINT_DIR/state.tmp"
    mv "$SOOS_CHECKPOINT_DIR/state.tmp" "$SOOS_CHECKPOINT_DIR/state"
    echo "checkpoint at i=$i sum=$acc"
    exit "${SOOS_CHECKPOINT_EXIT_CODE:-75}"
  fi
  echo "terminated at i=$i without a checkpoint directory"
  exit 143
}
trap on_term TERM

while (( i <= steps )); do
  (( acc += i * i, i += 1 ))
  if (( i % 100 == 0 )); then echo "progress i=$i"; fi
  sleep "$step_seconds"
done
echo "answer $acc"
