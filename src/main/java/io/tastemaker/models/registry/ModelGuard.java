package io.tastemaker.models.registry;

import io.tastemaker.api.FieldError;
import io.tastemaker.api.InvalidInputException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a model version may reach: files under the models directory, remote endpoints on the
 * host allow-list, API keys in variables with the configured prefix. Checked when a version is
 * registered and again every time one is loaded, so a registry row written before these rules
 * (or by hand) cannot get past them. Hosts are compared as written, never by the address they
 * resolve to; a refused path gets one message whatever lies outside the directory, so the
 * answer tells nothing about files elsewhere.
 */
public final class ModelGuard {

    static final String DIRECTORY_SETTING = "tastemaker.models.directory";
    static final String HOSTS_SETTING = "tastemaker.models.remote.allowed-hosts";
    static final String PREFIX_SETTING = "tastemaker.models.remote.api-key-env-prefix";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z_][A-Z0-9_]*");

    /**
     * A model version that asks for something it may not have: a 400 naming the field at
     * registration, and the reason a stored version is not loaded.
     */
    public static final class Refused extends InvalidInputException {

        Refused(String field, String reason) {
            super(field, reason);
        }

        public FieldError error() {
            return errors().get(0);
        }
    }

    /** One allow-list entry: a host, and the only port allowed on it (or any, when -1). */
    private record AllowedHost(String host, int port) {

        static AllowedHost parse(String entry) {
            URI uri;
            try {
                uri = new URI("http://" + entry.trim() + "/");
            } catch (URISyntaxException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null || uri.getRawUserInfo() != null || !"/".equals(uri.getRawPath())) {
                throw new IllegalStateException(HOSTS_SETTING + " takes host or host:port entries, got '" + entry + "'");
            }
            return new AllowedHost(canonicalHost(uri.getHost()), uri.getPort());
        }

        boolean allows(String host, int port) {
            return this.host.equals(host) && (this.port == -1 || this.port == port);
        }
    }

    private final Path directory;
    private final List<AllowedHost> hosts;
    private final String keyPrefix;
    private final String outside;

    public ModelGuard(Path directory, List<String> allowedHosts, String apiKeyEnvPrefix) {
        this.directory = directory.toAbsolutePath().normalize();
        this.hosts = allowedHosts.stream().filter(h -> !h.isBlank()).map(AllowedHost::parse).toList();
        if (apiKeyEnvPrefix == null || apiKeyEnvPrefix.isBlank() || !ENV_NAME.matcher(apiKeyEnvPrefix).matches()) {
            throw new IllegalStateException(PREFIX_SETTING + " must be a non-empty prefix of upper-case variable names, got '"
                    + apiKeyEnvPrefix + "'");
        }
        this.keyPrefix = apiKeyEnvPrefix;
        this.outside = "must be a readable file under the models directory " + this.directory + " (" + DIRECTORY_SETTING
                + "): a path relative to it or inside it, without '..' and without links leading out of it";
    }

    /** The models directory, absolute: where fine-tuned adapters are written. */
    public Path directory() {
        return directory;
    }

    /** Every refusal of this version's settings, empty when it may be loaded. */
    public List<FieldError> check(ModelVersion.Kind kind, ModelVersion.Spec spec) {
        List<FieldError> errors = new ArrayList<>();
        switch (kind) {
            case ONNX -> {
                collect(errors, () -> modelFile("modelPath", spec.modelPath()));
                collect(errors, () -> modelFile("tokenizerPath", spec.tokenizerPath()));
            }
            case REMOTE -> {
                collect(errors, () -> endpoint(spec.baseUrl()));
                collect(errors, () -> apiKeyEnv(spec.apiKeyEnv()));
            }
            case ADAPTER -> collect(errors, () -> modelFile("adapterPath", spec.adapterPath()));
            case BUILTIN -> {
            }
        }
        return errors;
    }

    /**
     * The real path of a model file under the models directory.
     *
     * @throws Refused with the same message for every path outside it, existing or not
     */
    public Path modelFile(String field, String path) {
        if (path == null || path.isBlank()) {
            throw new Refused(field, "is required: " + outside);
        }
        Path given;
        try {
            given = Path.of(path);
        } catch (InvalidPathException e) {
            throw new Refused(field, outside);
        }
        for (Path part : given) {
            if (part.toString().equals("..")) {
                throw new Refused(field, outside);
            }
        }
        Path candidate = (given.isAbsolute() ? given : directory.resolve(given)).normalize();
        Path realDirectory;
        Path real;
        try {
            realDirectory = directory.toRealPath();
            // the lexical check first: nothing outside is even looked at
            if (!candidate.startsWith(directory) && !candidate.startsWith(realDirectory)) {
                throw new Refused(field, outside);
            }
            real = candidate.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new Refused(field, outside);
        }
        if (!real.startsWith(realDirectory) || !Files.isRegularFile(real) || !Files.isReadable(real)) {
            throw new Refused(field, outside);
        }
        return real;
    }

    /**
     * The endpoint of a remote model, when its scheme is http(s), it carries no credentials and
     * its host (and port) is on the allow-list.
     */
    public URI endpoint(String baseUrl) {
        String example = "the http(s) root of an OpenAI-compatible server on a host of " + HOSTS_SETTING
                + ", e.g. http://tei.internal:8080/v1";
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new Refused("baseUrl", "is required: " + example);
        }
        URI uri;
        try {
            uri = new URI(baseUrl);
        } catch (URISyntaxException e) {
            throw new Refused("baseUrl", "is not a URL: " + example);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("baseUrl", "must be an http or https URL: " + example);
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new Refused("baseUrl", "must not carry credentials (user:password@): name the key's variable in apiKeyEnv");
        }
        if (uri.getHost() == null) {
            throw new Refused("baseUrl", "must name a host: " + example);
        }
        if (hosts.isEmpty()) {
            throw new Refused("baseUrl", "names a remote model, and remote models are refused here: no host is allowed ("
                    + HOSTS_SETTING + " is empty)");
        }
        String host = canonicalHost(uri.getHost());
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (hosts.stream().noneMatch(h -> h.allows(host, port))) {
            throw new Refused("baseUrl", "names " + host + ":" + port + ", which is not on " + HOSTS_SETTING);
        }
        return uri;
    }

    /** The variable holding a remote model's key (null: no key), when its name has the configured prefix. */
    public String apiKeyEnv(String name) {
        if (name == null) {
            return null;
        }
        if (!ENV_NAME.matcher(name).matches() || !name.startsWith(keyPrefix) || name.length() == keyPrefix.length()) {
            throw new Refused("apiKeyEnv", "must name an environment variable starting with " + keyPrefix + " ("
                    + PREFIX_SETTING + "), e.g. " + keyPrefix + "TEI; the key itself is never stored");
        }
        return name;
    }

    private static String canonicalHost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static void collect(List<FieldError> errors, Runnable check) {
        try {
            check.run();
        } catch (Refused e) {
            errors.add(e.error());
        }
    }
}
