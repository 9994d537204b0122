package com.qiledger.api.ops;

import java.util.ArrayList;
import java.util.List;
import com.qiledger.query.support.BatchableHandlers;
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

    /**
     * The processing groups dealt round-robin (by name) into at most {@code count} disjoint lanes,
     * so that each lane can replay the same events on its own thread and connection.
     */
    public List<java.util.Set<String>> lanes(int count) {
        List<String> groups = handlers().stream().map(GroupHandler::group).distinct().sorted().toList();
        List<java.util.Set<String>> lanes = new ArrayList<>();
        for (int i = 0; i < Math.min(count, groups.size()); i++) {
            lanes.add(new java.util.TreeSet<>());
        }
        for (int i = 0; i < groups.size(); i++) {
            lanes.get(i % lanes.size()).add(groups.get(i));
        }
        return lanes.stream().map(java.util.Set::copyOf).toList();
    }

    /**
     * Whether every projection of these processing groups is {@link BatchableHandlers}, so that a
     * replay of them may queue their writes ({@link com.qiledger.query.support.BatchedWrites}).
     */
    public boolean batchable(java.util.Set<String> groups) {
        List<GroupHandler> of = handlers().stream().filter(h -> groups.contains(h.group())).toList();
        return !of.isEmpty() && of.stream().allMatch(GroupHandler::batchable);
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
