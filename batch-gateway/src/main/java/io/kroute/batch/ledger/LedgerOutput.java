package io.kroute.batch.ledger;

import io.kroute.schemas.PromptRequest;

/** What the ledger writes: a prompt for the router (to the prompts topic), or a job's new state (to the jobs topic). */
public sealed interface LedgerOutput {

    record Prompt(PromptRequest request) implements LedgerOutput {}

    record JobChanged(JobState state) implements LedgerOutput {}
}
