package org.backprop.cli;

import org.backprop.table.PrintableText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.backprop.digest.DigestKeys;
import org.backprop.digest.JournalCheck;
import org.backprop.digest.SeenDigests;
import org.backprop.digest.StoreDigest;
import org.backprop.events.EventStore;
import org.backprop.replay.Verification;
import org.backprop.replay.Verifier;
import org.backprop.store.StoreAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backprop verify}: re-executes recorded runs and checks every stored value and hash, and the store's journal. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Re-executes every recorded run (or the one named) from its start event and compares each recorded value bit for bit,",
            "checks that no epoch is missing or recorded twice, and recomputes the hash chain, naming the first event whose hash",
            "no longer matches. One line per run. Then, for the whole store, it checks the journal that every stored event",
            "extends (no entry gone or changed, nothing stored outside it, no run deleted), and what this machine last saw the",
            "store hold. With --against DIGEST it proves that everything the digest covered is still there, unchanged.",
            "Exit code 0 when everything is intact, 1 when anything differs."},
        footer = {"", "Examples:",
            "  backprop verify                     every run in the store, and its journal",
            "  backprop verify 1",
            "  backprop digest > digest.txt        ... later:",
            "  backprop verify --against digest.txt",
            "  backprop verify --against \"backprop-digest/1 store=... sig=...\" --key lab.key.pub"})
final class VerifyCommand implements StoreCommand {
    static final int DIFFERS = 1;
    /** Problems of the journal listed one a line after the first; a store rewritten wholesale has thousands. */
    static final int SHOWN_PROBLEMS = 20;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's id or unique name; every run when left out.")
    String run;

    @Option(names = "--against", paramLabel = "DIGEST",
            description = "A digest 'backprop digest' printed (the line itself, or a file holding it): prove the store still holds all it covered.")
    String against;

    @Option(names = "--key", paramLabel = "FILE.pub", description = "The public key whose private key signed the digest (backprop digest --sign).")
    Path key;

    private StoreDigest digest;

    @Override
    public StoreAccess prepare() {
        if (against != null) {
            digest = StoreDigest.parse(digestText(against));
            if (run != null) {
                throw new BadInputException("a digest covers the whole store: leave out the run " + run + ", or --against");
            }
        } else if (key != null) {
            throw new BadInputException("--key checks the signature of a digest: give --against DIGEST too");
        }
        return StoreAccess.READ;
    }

    /** The digest line itself, or the first digest line of the file it names. */
    private static String digestText(String given) {
        Path file = Path.of(given.length() < 4096 && !given.contains("\n") ? given : ".");
        if (!given.startsWith("backprop-digest/") && Files.isRegularFile(file)) {
            try {
                return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("backprop-digest/"))
                        .findFirst().orElseThrow(() -> new BadInputException(file + " holds no digest line (one starting with 'backprop-digest/')"));
            } catch (IOException e) {
                throw new BadInputException("the digest file " + file + " cannot be read (" + e.getMessage() + ")", e);
            }
        }
        return given;
    }

    @Override
    public int call(EventStore runStore) {
        PrintWriter out = spec.commandLine().getOut();
        boolean allOk = true;
        if (digest == null) {
            List<Long> runs = run == null ? runStore.runIds() : List.of(runStore.resolve(run));
            Verifier verifier = new Verifier(runStore);
            for (long id : runs) {
                Verification v = verifier.verify(id);
                out.println(PrintableText.escaped(v.line()));
                out.flush();
                allOk &= v.ok();
            }
            if (run != null) {
                return allOk ? 0 : DIFFERS;
            }
        }
        Optional<StoreDigest> seen = SeenDigests.ofUser().last(runStore.storeId());
        JournalCheck check = new JournalCheck(runStore);
        JournalCheck.Report report = check.check(digest != null ? digest : seen.orElse(null));
        if (report.entries() == 0 && runStore.runIds().isEmpty()) {
            out.println("no runs in " + runStore.describe() + " to verify");
        }
        out.println(journalLine(report));
        List<String> more = report.problems().size() <= 1 ? List.of() : report.problems().subList(1, report.problems().size());
        more.stream().limit(SHOWN_PROBLEMS).forEach(p -> out.println("  also: " + p));
        if (more.size() > SHOWN_PROBLEMS) {
            out.println("  ... and " + (more.size() - SHOWN_PROBLEMS) + " more");
        }
        allOk &= report.problems().isEmpty();
        if (digest != null) {
            allOk &= print(out, "digest", report.against());
            allOk &= signature(out);
        } else if (seen.isPresent()) {
            allOk &= print(out, "last seen", report.against());
        }
        return allOk ? 0 : DIFFERS;
    }

    private static String journalLine(JournalCheck.Report report) {
        if (report.problems().isEmpty()) {
            return "journal: ok: " + report.entries() + " entries hold " + report.events() + " events, chained from the store's id;"
                    + " every stored event is in it";
        }
        int more = report.problems().size() - 1;
        return "journal: DIFFERS: " + report.problems().get(0) + (more == 0 ? "" : " (" + more + " more below)");
    }

    private static boolean print(PrintWriter out, String label, JournalCheck.Against a) {
        if (a.ok()) {
            out.println(label + ": ok: everything the digest of " + a.digest().at() + " covered (" + a.digest().events() + " events in "
                    + a.digest().entries() + " journal entries) is still there, unchanged" + (a.eventsSince() > 0 ? "; " + a.eventsSince()
                    + " events were recorded since" : ""));
        } else {
            out.println(label + ": DIFFERS: " + a.why());
        }
        return a.ok();
    }

    private boolean signature(PrintWriter out) {
        if (!digest.signed()) {
            if (key != null) {
                out.println("signature: DIFFERS: the digest is not signed, but --key " + key + " says it should be");
                return false;
            }
            return true;
        }
        if (key == null) {
            out.println("signature: not checked: give --key FILE.pub, the public key of the one who signed the digest");
            return true;
        }
        boolean ok = DigestKeys.verify(digest, key);
        out.println(ok ? "signature: ok: made with the private key of " + key
                : "signature: DIFFERS: the digest was not signed with the private key of " + key + " (it was changed, or signed by someone else)");
        return ok;
    }
}
