package io.liftoff.checklist.markdown;

import io.liftoff.checklist.checklist.ContactSpec;
import io.liftoff.checklist.checklist.Item;
import io.liftoff.checklist.checklist.ItemKind;
import io.liftoff.checklist.checklist.ItemState;
import io.liftoff.checklist.checklist.MetricTarget;
import io.liftoff.checklist.checklist.SignoffSpec;

/** An item whose place in the document is known but whose kind is not yet (it depends on the item's children). */
record ItemDraft(String id, String key, String parentId, int depth, String text, ItemState state, boolean checkbox,
        String indent, String marker, SectionScope scope) {

    Item toItem(ItemKind kind, MetricTarget target, SignoffSpec signoff, ContactSpec contact) {
        return new Item(id, key, parentId, depth, text, kind, state, checkbox, indent, marker, scope.key(),
                scope.phase(), target, signoff, contact, null, null, null, null);
    }
}
