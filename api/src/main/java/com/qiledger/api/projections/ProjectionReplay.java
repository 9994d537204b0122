package com.qiledger.api.projections;

import com.qiledger.query.support.BatchableHandlers;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.stereotype.Component;

/**
 * Feeds events straight into the projections' own event handlers, on the calling thread and so in
 * its transaction: the same code that builds the live read models builds a state as of an instant,
 * or a new generation of them, wherever the transaction's tables point.
 */
@Component
public class ProjectionReplay {

    private final ApplicationContext context;
    private volatile List<GroupHandler> handlers;

    private record GroupHandler(String group, AnnotationEventHandlerAdapter adapter, boolean batchable) {
    }

    public ProjectionReplay(ApplicationContext context) {
        this.context = context;
    }

    /** Every projection handles the event it has a handler for; one that fails fails the replay. */
    public void apply(EventMessage<?> event) {
        apply(event, null);
    }

    /** As {@link #apply(EventMessage)}, for the projections of the given processing groups only (all when null). */
    public void apply(EventMessage<?> event, java.util.Set<String> groups) {
        for (GroupHandler grouped : handlers()) {
            if (groups != null && !groups.contains(grouped.group())) {
                continue;
            }
            AnnotationEventHandlerAdapter handler = grouped.adapter();
            if (handler.canHandle(event)) {
                try {
                    handler.handle(event);
                } catch (Exception e) {
                    throw new IllegalStateException("projection " + handler.getTargetType().getSimpleName()
                            + " failed on event " + event.getIdentifier() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** The processing groups, by name: a rebuild replays each in a lane of its own. */
    public List<String> groups() {
        return handlers().stream().map(GroupHandler::group).distinct().sorted().toList();
    }

    /**
     * Whether every projection of this processing group is {@link BatchableHandlers}, so that a
     * replay of it may queue its writes ({@link com.qiledger.query.support.BatchedWrites}).
     */
    public boolean batchable(String group) {
        return handlers().stream().filter(h -> h.group().equals(group)).allMatch(GroupHandler::batchable);
    }

    private List<GroupHandler> handlers() {
        List<GroupHandler> known = handlers;
        if (known == null) {
            List<GroupHandler> built = new ArrayList<>();
            for (Object bean : context.getBeansWithAnnotation(ProcessingGroup.class).values()) {
                String group = AnnotationUtils.findAnnotationAttributes(bean.getClass(), ProcessingGroup.class)
                        .map(attributes -> (String) attributes.get("processingGroup")).orElse("");
                built.add(new GroupHandler(group, new AnnotationEventHandlerAdapter(bean,
                        ClasspathParameterResolverFactory.forClass(bean.getClass())),
                        AnnotationUtils.isAnnotationPresent(bean.getClass(), BatchableHandlers.class)));
            }
            handlers = known = List.copyOf(built);
        }
        return known;
    }
}
