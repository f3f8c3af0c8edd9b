package io.tastemaker.models;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.quarkus.security.identity.SecurityIdentity;
import io.tastemaker.models.experiments.ExperimentReport;
import io.tastemaker.models.experiments.ExperimentRequest;
import io.tastemaker.models.experiments.Experiments;
import io.tastemaker.models.registry.EvaluationJob;
import io.tastemaker.models.registry.EvaluationJobStore;
import io.tastemaker.models.registry.EvaluationJobs;
import io.tastemaker.models.registry.FeedBlend;
import io.tastemaker.models.registry.ModelRegistration;
import io.tastemaker.models.registry.ModelRegistry;
import io.tastemaker.models.registry.ModelVersion;
import io.tastemaker.models.registry.ModelVersions;
import io.tastemaker.models.training.FineTuneRequest;
import io.tastemaker.models.training.FineTuner;
import io.tastemaker.models.training.FineTuning;
import io.tastemaker.security.Actor;
import io.tastemaker.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The model registry for data scientists: register, index in the background, evaluate, promote,
 * roll back, fine-tune, A/B experiments. Each call is handed to the class that does that job
 * ({@link ModelVersions}, {@link EvaluationJobs}, {@link FineTuning}, {@link Experiments}).
 */
@Blocking
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Models")
@RolesAllowed(Roles.DATA_SCIENTIST)
public class ModelResource {

    static final String ACTOR = Actor.ON_BEHALF_OF_HEADER;

    private final ModelVersions versions;
    private final EvaluationJobs evaluations;
    private final EvaluationJobStore evaluationStore;
    private final FineTuning fineTuning;
    private final Experiments experiments;
    private final SecurityIdentity identity;

    ModelResource(ModelVersions versions, EvaluationJobs evaluations, EvaluationJobStore evaluationStore,
                  FineTuning fineTuning, Experiments experiments, SecurityIdentity identity) {
        this.versions = versions;
        this.evaluations = evaluations;
        this.evaluationStore = evaluationStore;
        this.fineTuning = fineTuning;
        this.experiments = experiments;
        this.identity = identity;
    }

    /**
     * A version as the API shows it: with the feed weights and co-engagement floor stored with it
     * (chosen by its latest verdict; null while it has none and the configured ones apply) and its
     * latest evaluation.
     */
    public record View(String version, String kind, String state, int dimension, String collection, Progress progress,
                       String error, ModelVersion.Spec spec, Instant createdAt, Instant updatedAt,
                       Map<String, Double> feedWeights, Double coEngagementFloor, EvaluationView evaluation) {

        static View of(ModelVersion v) {
            return of(v, FeedBlend.NONE, null);
        }

        static View of(ModelVersion v, FeedBlend blend, EvaluationJob evaluation) {
            Instant now = Instant.now();
            return new View(v.version(), v.kind().jsonName(), v.state().jsonName(), v.dimension(), v.collection(),
                    Progress.of(v, now), v.error(), v.spec(), v.createdAt(), v.updatedAt(),
                    blend.weights().isEmpty() ? null : blend.weights(), blend.coEngagementFloor(),
                    evaluation == null ? null : EvaluationView.of(evaluation, now));
        }
    }

    /**
     * An evaluation job: state (queued, running, done, failed, cancelled), shoppers judged of the
     * total, the share done and, while it runs, its rate and the seconds it still needs; its
     * verdict once done.
     */
    public record EvaluationView(@JsonUnwrapped EvaluationJob job, Double percent, Double perSecond, Long etaSeconds) {

        static EvaluationView of(EvaluationJob job, Instant now) {
            Eta eta = job.state() == EvaluationJob.State.RUNNING ? Eta.of(job.done(), job.total(), job.startedAt(), now)
                    : Eta.UNKNOWN;
            return new EvaluationView(job, job.percent(), eta.perSecond(), eta.seconds());
        }
    }

    /**
     * How far the version's index build got; while it runs, its rate (products per second) and
     * the seconds it still needs ({@code etaSeconds}), null when not known yet.
     */
    public record Progress(long indexed, Long total, Double percent, Instant startedAt, Double perSecond,
                           Long etaSeconds) {

        static Progress of(ModelVersion v, Instant now) {
            Eta eta = v.state() == ModelVersion.State.INDEXING ? Eta.of(v.indexed(), v.total(), v.buildStartedAt(), now)
                    : Eta.UNKNOWN;
            return new Progress(v.indexed(), v.total(), v.progressPercent(), v.buildStartedAt(), eta.perSecond(),
                    eta.seconds());
        }
    }

    /** A fine-tuning job with its share done (batches of all epochs) and the seconds it still needs while it trains. */
    public record FineTuneView(@JsonUnwrapped FineTuner.Job job, Double percent, Long etaSeconds) {

        static FineTuneView of(FineTuner.Job job, Instant now) {
            long all = (long) job.epochs() * job.batches();
            if (all <= 0) {
                return new FineTuneView(job, "training".equals(job.state()) ? 0.0 : null, null);
            }
            long done = (long) Math.max(0, job.epoch() - 1) * job.batches() + job.batch();
            Eta eta = "training".equals(job.state()) ? Eta.of(done, all, job.startedAt(), now) : Eta.UNKNOWN;
            return new FineTuneView(job, Math.min(100.0, Math.round(1000.0 * done / all) / 10.0), eta.seconds());
        }
    }

    @GET
    @Operation(summary = "Registered model versions", description = "Every version with its state (registered, "
            + "indexing, ready, active, retired, failed) and index build progress.")
    public Map<String, Object> list() {
        Map<String, EvaluationJob> evaluated = evaluationStore.latestOfEach();
        Map<String, FeedBlend> blends = evaluationStore.feedBlends();
        List<View> all = versions.list().stream()
                .map(v -> View.of(v, blends.getOrDefault(v.version(), FeedBlend.NONE), evaluated.get(v.version()))).toList();
        return Map.of("versions", all, "active", all.stream().filter(v -> v.state().equals("active"))
                .map(View::version).findFirst().orElse(""));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a model version", description = "{version, kind: onnx, modelPath, tokenizerPath, "
            + "pooling: MEAN|CLS} or {version, kind: remote, baseUrl, modelName, apiKeyEnv?}. The model is loaded and "
            + "embeds one text before it is accepted.")
    public Response register(JsonNode body) {
        ModelVersion v = versions.register(ModelRegistration.parse(body, versions.guard()));
        return Response.created(URI.create("/v1/models/" + v.version())).entity(View.of(v)).build();
    }

    @GET
    @Path("/{version}")
    @Operation(summary = "One version", description = "Its state and build progress, the feed weights and "
            + "co-engagement floor stored with it (chosen by its latest verdict; null: the configured ones apply) and "
            + "its latest evaluation job with the verdict (scores with 95 % intervals, chosen weights, shoppers, window).")
    public View get(@PathParam("version") String version) {
        ModelVersion v = versions.get(version);
        return View.of(v, evaluationStore.feedBlend(version), evaluationStore.latest(version).orElse(null));
    }

    @POST
    @Path("/{version}/index")
    @Operation(summary = "Build the version's collection in the background", description = "Answers 202 at once; "
            + "follow progress with GET /v1/models/{version}. A build interrupted by a restart resumes.")
    public Response index(@PathParam("version") String version) {
        return Response.accepted(View.of(versions.index(version))).build();
    }

    @POST
    @Path("/{version}/promote")
    @Operation(summary = "Make a ready version serve", description = "Switches every instance in one step (within "
            + "the poll interval), with the feed weights its verdict chose; the version it replaces stays ready, with its "
            + "own weights, for a rollback. Without force=true it needs a finished evaluation against the active version "
            + "(409 saying to evaluate first) that does not find it worse (409 with the verdict as `evaluation`).")
    public ModelRegistry.Activation promote(@PathParam("version") String version, @HeaderParam(ACTOR) String actor,
                                            @QueryParam("force") boolean force) {
        return versions.promote(version, actor(actor), force);
    }

    @POST
    @Path("/{version}/evaluate")
    @Operation(summary = "Start judging a built version against the active one", description = "Answers 202 with the "
            + "job at once; the gate runs on this instance's evaluation thread, one job at a time (409 naming the "
            + "running one). Follow it with GET /v1/models/{version}/evaluation; its verdict is stored with the version "
            + "and read by promote. A job interrupted by a restart runs again from the start.")
    public Response evaluate(@PathParam("version") String version) {
        return Response.accepted(EvaluationView.of(evaluations.start(version), Instant.now())).build();
    }

    @GET
    @Path("/{version}/evaluation")
    @Operation(summary = "The version's latest evaluation job", description = "state (queued, running, done, failed, "
            + "cancelled), done of total shoppers, percent, etaSeconds while it runs; verdict once done: the candidate's "
            + "and the active version's HR@10 and NDCG@10 with 95 % intervals, the feed weights chosen for each, "
            + "shoppers, window, worse and a summary. 404 when it was never evaluated.")
    public EvaluationView evaluation(@PathParam("version") String version) {
        return EvaluationView.of(evaluations.latest(version), Instant.now());
    }

    @POST
    @Path("/{version}/evaluation:cancel")
    @Operation(summary = "Cancel the version's running evaluation", description = "A queued job is cancelled at once, "
            + "a running one between two shoppers on whichever instance runs it (202 with the job, cancelRequested "
            + "true); 409 when the latest job has finished.")
    public Response cancelEvaluation(@PathParam("version") String version) {
        return Response.accepted(EvaluationView.of(evaluations.cancel(version), Instant.now())).build();
    }

    @POST
    @Path("/rollback")
    @Operation(summary = "Return to the version that served before the current one")
    public ModelRegistry.Activation rollback(@HeaderParam(ACTOR) String actor) {
        return versions.rollback(actor(actor));
    }

    @PUT
    @Path("/experiment")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start an A/B experiment, or change its share", description = "{control?, treatment, percent}: "
            + "the ready version `treatment` serves `percent` of the shoppers (chosen by a hash of the user id: stable, "
            + "the same on every instance), the active version (`control`) the rest and anonymous requests; every "
            + "response's modelVersion says which. The same two versions again change the share in place (a ramp-up keeps "
            + "the shoppers already in the treatment); other versions end the running experiment and start a new one. "
            + "A promotion or rollback ends it.")
    public ExperimentReport startExperiment(JsonNode body, @HeaderParam(ACTOR) String actor) {
        experiments.start(ExperimentRequest.parse(body), actor(actor));
        return experiments.report();
    }

    @GET
    @Path("/experiment")
    @Operation(summary = "The running (or last) experiment and its results", description = "Per variant: lists and "
            + "items served, engagement events of its shoppers by type since it started, its shoppers and their metrics "
            + "(click-through, conversion, revenue and lists per shopper) with always-valid 95 % intervals; per metric the "
            + "treatment against the control: difference, relative lift, always-valid p-value and a verdict. The shopper is "
            + "the unit (delta method over per-shopper totals) and the test a mixture SPRT, so the report may be read at "
            + "any time and an experiment stopped when a verdict says higher or lower.")
    public ExperimentReport experiment() {
        return experiments.report();
    }

    @DELETE
    @Path("/experiment")
    @Operation(summary = "End the running experiment", description = "Every shopper is served by the active version "
            + "again; the final report is returned and stays readable.")
    public ExperimentReport endExperiment(@HeaderParam(ACTOR) String actor) {
        return experiments.end(actor(actor));
    }

    @POST
    @Path("/{version}/fine-tune")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Fine-tune an adapter over this version", description = "Trains a residual linear adapter on "
            + "the shop's co-engagement in the background ({version, epochs?, temperature?, learningRate?, weightDecay?, "
            + "batchSize?, minWeight?}), then registers it as a new version and builds its index. 202 with the job; "
            + "follow it with GET /v1/models/fine-tunes/{version}.")
    public Response fineTune(@PathParam("version") String base, JsonNode body) {
        return Response.accepted(fineTuning.start(base, FineTuneRequest.parse(body))).build();
    }

    @GET
    @Path("/fine-tunes/{version}")
    @Operation(summary = "A fine-tuning job's progress", description = "state: training, trained, registered or failed; "
            + "epoch and batch of the total, the last batch's loss, the share done (percent) and, while it trains, "
            + "the seconds it still needs (etaSeconds).")
    public FineTuneView fineTuneJob(@PathParam("version") String version) {
        return FineTuneView.of(fineTuning.job(version), Instant.now());
    }

    @GET
    @Path("/fine-tunes")
    @Operation(summary = "Recent fine-tuning jobs", description = "The 50 most recently started jobs, newest first, "
            + "each as GET /v1/models/fine-tunes/{version} answers it.")
    public Map<String, List<FineTuneView>> fineTuneJobs() {
        Instant now = Instant.now();
        return Map.of("jobs", fineTuning.recentJobs().stream().map(j -> FineTuneView.of(j, now)).toList());
    }

    @POST
    @Path("/{version}/retire")
    @Operation(summary = "Stop maintaining a version and drop its collection")
    public View retire(@PathParam("version") String version) {
        return View.of(versions.retire(version));
    }

    /** The authenticated caller, with whom it acted for, as activations and experiments record it. */
    private String actor(String onBehalfOf) {
        return Actor.of(identity, onBehalfOf);
    }
}
