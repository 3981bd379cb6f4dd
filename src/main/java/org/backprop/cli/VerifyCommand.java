package org.backprop.cli;

import java.io.PrintWriter;
import java.util.List;
import org.backprop.replay.Verification;
import org.backprop.replay.Verifier;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;

import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop verify}: re-executes recorded runs and checks every stored value and hash. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-executes every recorded run (or the one named) from its start event and compares each recorded value bit for bit,",
            "checks that no epoch is missing or recorded twice, and recomputes the hash chain, naming the first event whose hash",
            "no longer matches. One line per run. Exit code 0 when every run is intact, 1 when anything differs."},
        footer = {"", "Examples:",
            "  backprop verify                     every run in the store",
            "  backprop verify 1",
            "  backprop verify --db other-store"})
final class VerifyCommand implements StoreCommand {
    static final int DIFFERS = 1;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's id or unique name; every run when left out.")
    String run;

    @Override
    public StoreAccess prepare() {
        return StoreAccess.READ;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        List<Long> runs = run == null ? runStore.runIds() : List.of(runStore.resolve(run));
        if (runs.isEmpty()) {
            out.println("no runs in " + runStore.describe() + " to verify");
            return 0;
        }
        Verifier verifier = new Verifier(runStore);
        boolean allOk = true;
        for (long id : runs) {
            Verification v = verifier.verify(id);
            out.println(PrintableText.escaped(v.line()));
            out.flush();
            allOk &= v.ok();
        }
        return allOk ? 0 : DIFFERS;
    }
}
