package dev.chainkit.examples.live;

import dev.chainkit.core.ChainEvent;
import dev.chainkit.oplog.sync.OpRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The main of a node process of {@code chainsim live}: {@code java -cp CLASSPATH dev.chainkit.examples.live.NodeMain
 * SCENARIO NODE SPEED FOLDER PORT [SERVER=PORT]...} ({@link NodeSpec#args()}). It starts the node, then serves the
 * {@link ControlLine} protocol: commands from standard input, answers, events and records on standard output, its
 * log on standard error. It exits when told to stop, and when its standard input ends (the runner is gone: a node
 * never outlives the run that started it).
 *
 * <p>Not for people: the runner starts it, and nothing on its command line or its pipes comes from anyone else.
 *
 * <p>Thread safety: the main thread serves commands; the node's thread writes events; writes are serialized.
 */
public final class NodeMain {

    private final PrintStream out;

    private NodeMain(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs one node until told to stop or until standard input ends.
     *
     * @param args {@link NodeSpec#args()}
     */
    public static void main(String[] args) {
        PrintStream channel = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        System.setOut(System.err); // stray prints must not corrupt the channel
        System.exit(new NodeMain(channel).run(args));
    }

    private int run(String[] args) {
        ControlLine.warmUp();
        LiveNode node;
        try {
            NodeSpec spec = NodeSpec.parse(args);
            String cold = Warmup.run(spec.folder().resolve("warm-up-" + spec.node() + "-"
                    + ProcessHandle.current().pid()), false);
            if (cold != null) {
                System.err.println("chainsim live: node " + spec.node() + " could not warm up (" + cold
                        + "); its first messages may be slow");
            }
            node = LiveNode.start(spec, new NodeObserver() {
                @Override
                public void onIncarnation(long incarnation) {
                    write(new ControlLine.Incarnation(incarnation));
                }

                @Override
                public void onEvent(ChainEvent event) {
                    write(ControlLine.Event.of(event));
                }

                @Override
                public void onRecord(OpRecord record) {
                    write(ControlLine.Record.of(record));
                }
            });
        } catch (RuntimeException e) {
            e.printStackTrace();
            write(new ControlLine.Failed(String.valueOf(e.getMessage())));
            return 1;
        }
        write(new ControlLine.Ready(node.incarnation(), node.port()));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!serve(node, line)) {
                    return 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            e.printStackTrace();
            write(new ControlLine.Failed("the control channel broke: " + e));
        }
        node.close(); // the runner is gone
        return 0;
    }

    /** Serves one command; false once the node has stopped. */
    private boolean serve(LiveNode node, String line) {
        ControlLine.Command command = (ControlLine.Command) ControlLine.read(line);
        try {
            if (command instanceof ControlLine.Submit s) {
                write(new ControlLine.Submitted(s.id(), node.submit(s.ops())));
            } else if (command instanceof ControlLine.StatusQuery q) {
                write(new ControlLine.StatusOf(q.id(), node.status()));
            } else if (command instanceof ControlLine.SnapshotQuery q) {
                write(new ControlLine.SnapshotOf(q.id(), node.snapshot()));
            } else if (command instanceof ControlLine.Stop s) {
                node.close();
                write(new ControlLine.Stopped(s.id()));
                return false;
            } else {
                throw new IllegalStateException("unknown command " + command);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            write(new ControlLine.Refused(command.id(), String.valueOf(e)));
        }
        return true;
    }

    private void write(ControlLine line) {
        String text = ControlLine.write(line);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }
}
