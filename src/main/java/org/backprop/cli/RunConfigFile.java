package org.backprop.cli;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.backprop.model.Activation;
import org.backprop.model.Dataset;
import org.backprop.model.Network;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;

/**
 * Reads a run configuration file (JSON, format in the README). Fields the file leaves out must come from the
 * command line ({@code --lr}, {@code --epochs}, {@code --name}); every mistake is reported with the field's name.
 */
final class RunConfigFile {
    private static final Set<String> FIELDS = Set.of("name", "layers", "activations", "weights", "seed", "biases",
            "trainBiases", "inputs", "targets", "learningRate", "epochs");

    private RunConfigFile() {
    }

    static RunConfig read(Path path, String nameOverride, Double rateOverride, Integer epochsOverride) {
        String text;
        try {
            text = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new BadInputException("the configuration file " + path + " does not exist: check the --config path");
        } catch (IOException e) {
            throw new BadInputException("the configuration file " + path + " cannot be read: " + e.getMessage());
        }
        JsonNode root;
        try {
            ObjectMapper mapper = new ObjectMapper();
            mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = mapper.readTree(text);
        } catch (JsonParseException e) {
            throw new BadInputException(path + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInputException(path + " is not valid JSON: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new BadInputException(path + " must hold one JSON object such as {\"layers\": [2, 2, 2], ...}");
        }
        return parse(object, path, nameOverride, rateOverride, epochsOverride);
    }

    static RunConfig parse(ObjectNode o, Path path, String nameOverride, Double rateOverride, Integer epochsOverride) {
        for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new BadInputException(path + " has an unknown field \"" + field + "\": the fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        int[] layers = intArray(required(o, "layers", path), "layers", path);
        List<Activation> activations = new ArrayList<>();
        JsonNode acts = required(o, "activations", path);
        if (!acts.isArray()) {
            throw wrongType(path, "activations", "an array of names such as [\"sigmoid\", \"sigmoid\"]");
        }
        for (JsonNode a : acts) {
            if (!a.isTextual()) {
                throw wrongType(path, "activations", "an array of names such as [\"sigmoid\", \"sigmoid\"]");
            }
            activations.add(Activation.parse(a.asText()));
        }
        boolean biased = o.has("biases");
        boolean trainBiases = !o.has("trainBiases") || bool(o.get("trainBiases"), "trainBiases", path);
        Network network = new Network(layers, activations, biased, trainBiases);
        Dataset data = new Dataset(matrix(required(o, "inputs", path), "inputs", path), matrix(required(o, "targets", path), "targets", path));

        Long seed = null;
        if (o.has("weights") && o.has("seed")) {
            throw new BadInputException(path + " gives both \"weights\" and \"seed\": give one of them");
        }
        Parameters initial;
        if (o.has("weights")) {
            double[] biases = biased ? doubleArray(o.get("biases"), "biases", path) : new double[0];
            initial = new Parameters(doubleArray(o.get("weights"), "weights", path), biases);
        } else if (o.has("seed")) {
            JsonNode s = o.get("seed");
            if (!s.canConvertToLong() || !s.isIntegralNumber()) {
                throw wrongType(path, "seed", "a whole number");
            }
            seed = s.asLong();
            Parameters drawn = Parameters.random(network, seed);
            initial = biased && !o.get("biases").isNull() && o.get("biases").isArray()
                    ? new Parameters(drawn.weights(), doubleArray(o.get("biases"), "biases", path)) : drawn;
        } else {
            throw new BadInputException(path + " has neither \"weights\" nor \"seed\": give the initial weights w1..wN, or a seed to draw them");
        }

        String name = nameOverride != null ? nameOverride
                : o.has("name") ? text(o.get("name"), "name", path) : stripExtension(path.getFileName().toString());
        double rate;
        if (rateOverride != null) {
            rate = rateOverride;
        } else {
            JsonNode r = required(o, "learningRate", path, "or give --lr");
            if (!r.isNumber()) {
                throw wrongType(path, "learningRate", "a number such as 0.1");
            }
            rate = r.asDouble();
        }
        int epochs;
        if (epochsOverride != null) {
            epochs = epochsOverride;
        } else {
            JsonNode e = required(o, "epochs", path, "or give --epochs");
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                if (e.isIntegralNumber() && e.canConvertToLong()) {
                    RunConfig.checkEpochs(e.asLong());
                }
                throw wrongType(path, "epochs", "a whole number from 1 to " + RunConfig.MAX_EPOCHS + ", such as 100");
            }
            epochs = e.asInt();
        }
        return new RunConfig(name, network, data, initial, seed, rate, epochs);
    }

    private static String stripExtension(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static JsonNode required(ObjectNode o, String field, Path path) {
        return required(o, field, path, null);
    }

    private static JsonNode required(ObjectNode o, String field, Path path, String alternative) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            throw new BadInputException(path + " has no \"" + field + "\" field: add it" + (alternative == null ? "" : " " + alternative));
        }
        return n;
    }

    private static BadInputException wrongType(Path path, String field, String expected) {
        return new BadInputException("\"" + field + "\" in " + path + " must be " + expected);
    }

    private static boolean bool(JsonNode n, String field, Path path) {
        if (!n.isBoolean()) {
            throw wrongType(path, field, "true or false");
        }
        return n.asBoolean();
    }

    private static String text(JsonNode n, String field, Path path) {
        if (!n.isTextual()) {
            throw wrongType(path, field, "a string");
        }
        return n.asText();
    }

    private static int[] intArray(JsonNode n, String field, Path path) {
        if (!n.isArray()) {
            throw wrongType(path, field, "an array of whole numbers such as [2, 2, 2]");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber() || !n.get(i).canConvertToInt()) {
                throw wrongType(path, field, "an array of whole numbers such as [2, 2, 2]");
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static double[] doubleArray(JsonNode n, String field, Path path) {
        if (n == null || !n.isArray()) {
            throw wrongType(path, field, "an array of numbers");
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isNumber()) {
                throw wrongType(path, field, "an array of numbers, and element " + (i + 1) + " is " + n.get(i));
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    private static double[][] matrix(JsonNode n, String field, Path path) {
        if (!n.isArray() || n.isEmpty()) {
            throw wrongType(path, field, "an array of arrays of numbers such as [[0.05, 0.1]]");
        }
        double[][] out = new double[n.size()][];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isArray()) {
                throw wrongType(path, field, "an array of arrays of numbers such as [[0.05, 0.1]]");
            }
            out[i] = doubleArray(n.get(i), field, path);
        }
        return out;
    }
}
